// The project a `down` works on: from the state root's record of the last load with the same inputs
// while none changed (project/recorded-load.ts, as exec), else loaded in full; with `-p NAME` and no
// compose file in reach the project as it exists (state-project.ts), as Compose's down works from the
// project's name alone. Its own module so the down door (down.ts) reaches neither model.ts's full
// loader nor project.ts's verbs.
import { join } from 'node:path';
import type { LoadOptions } from '../project/raw.ts';
import type { Project } from '../project/model.ts';
import type { EngineOptions } from './project-handle.ts';
import { stateRoot } from '../common/state-root.ts';
import { isNoComposeFile } from '../project/discover.ts';
import { loadProjectRecorded } from '../project/recorded-load.ts';

export async function projectOrState(lo: LoadOptions, o: EngineOptions): Promise<Project> {
  const root = o.root ?? stateRoot();
  try {
    return await loadProjectRecorded(lo, join(root, 'project-records'));
  } catch (e) {
    const name = lo.projectName;
    if (name === undefined || !isNoComposeFile(e)) throw e;
    return (await import('./commands/state-project.ts')).projectFromState(root, name);
  }
}
