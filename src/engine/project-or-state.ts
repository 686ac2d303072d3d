// The project a `down` works on: from the state root's record of the last load with the same inputs
// while none changed (project/recorded-load.ts, as exec), else loaded in full; with `-p NAME` and no
// compose file in reach the project as it exists (state-project.ts), as Compose's down works from the
// project's name alone. Its own module so the down door (down.ts) reaches neither model.ts's full
// loader nor project.ts's verbs. It also holds where the records live, for up's and exec's doors.
import { join } from 'node:path';
import type { LoadOptions } from '../project/raw.ts';
import type { Project } from '../project/model.ts';
import type { EngineOptions } from './project-handle.ts';
import { stateRoot } from '../common/state-root.ts';
import { isNoComposeFile } from '../project/discover.ts';
import { loadProjectRecorded } from '../project/recorded-load.ts';

/** `lo`'s project from the record under the state root while none of its inputs changed, else loaded in full. */
export function loadRecorded(lo: LoadOptions, o: EngineOptions): Promise<Project> {
  return loadProjectRecorded(lo, join(o.root ?? stateRoot(), 'project-records'));
}

export async function projectOrState(lo: LoadOptions, o: EngineOptions): Promise<Project> {
  try {
    return await loadRecorded(lo, o);
  } catch (e) {
    const name = lo.projectName;
    if (name === undefined || !isNoComposeFile(e)) throw e;
    return (await import('./commands/state-project.ts')).projectFromState(o.root ?? stateRoot(), name);
  }
}
