// The light door of `exec` and `container run`: the one project verb and the single-container verbs
// those commands call, without the rest of the engine. index.ts reaches every verb (up's planner,
// builds, pulls, the registry client…); the CLI entry of these two commands (cli/exec-run-main.ts,
// bundled to dist/gantry-exec-run.cjs) loads this door only, so its bundle and code cache hold
// what they run. Reading, compiling and initialising the whole bundle was 42–49 % of exec's CPU
// (bench/RESULTS.md, "Issue 20, run20").
import type { LoadOptions } from '../project/raw.ts';
import type { Project } from '../project/model.ts';
import type { EngineOptions } from './project-handle.ts';
import type { ExecRequest } from './commands/exec.ts';
import type * as Containers from './commands/containers.ts';
import { loadRecorded } from './project-or-state.ts';
import { execInProject } from './project-exec.ts';

// What `container run` calls (commands/container/run.ts). Loaded at its call: containers.ts brings the
// network side (bridges, netns intents, port forwarders), which `exec` never runs; initialising it
// was ≈ 40 % of the bundle's module start on an exec (bench/RESULTS.md, "Issue 20, exec22").
export type { ContainerRunRequest } from './commands/containers.ts';
export const openContainers: typeof Containers.openContainers = async (o) =>
  (await import('./commands/containers.ts')).openContainers(o);
export type { ContainerRunFlags } from './translate/container-spec.ts';

/** A loaded project with `exec` only: what `gantry exec` needs of openProjectFrom's handle. */
export interface ExecProject {
  readonly project: Project;
  exec(req: ExecRequest): Promise<number>;
}

/**
 * Loads the project and offers its exec; the project's warnings are the caller's to print. The model
 * comes from the state root's record of the last load with the same inputs when none changed
 * (project/recorded-load.ts): a warm exec loads no YAML, validator or normalizer code.
 */
export async function openExecProject(lo: LoadOptions, o: EngineOptions = {}): Promise<ExecProject> {
  const project = await loadRecorded(lo, o);
  return { project, exec: (req) => execInProject(project, o, req) };
}
