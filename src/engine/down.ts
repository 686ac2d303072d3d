// The light door of `down`: the project from its record (or the state, by name alone), then the one
// verb, without the rest of the engine. index.ts and project.ts reach every verb (up's planner,
// builds, pulls, develop's file sync, the registry client…), and a bundle holds whatever its imports
// reach, lazy ones too; the CLI entry of `down` (cli/down-main.ts, bundled to dist/gantry-down.cjs)
// loads this door only, so its bundle and code cache hold what a down runs. Loading the down bundle
// was node + 70 ms of `down --help` at idle (bench/RESULTS.md, "Issue 20, down11").
import type { LoadOptions } from '../project/raw.ts';
import type { Project } from '../project/model.ts';
import type { Plan } from '../plan/index.ts';
import type { EngineOptions } from './project-handle.ts';
import type { DownRequest } from './commands/down.ts';

export type { DownRequest } from './commands/down.ts';
export type { EngineEvent, EventSink } from './events.ts';
export type { LoadOptions } from '../project/raw.ts';

/** A project opened for `gantry down`: what the command needs of openProjectOrState's handle. */
export interface DownProject {
  readonly project: Project;
  down(req: DownRequest): Promise<Plan>;
}

/**
 * openProjectOrState's project (engine/model.ts says why the record), with `down` only: the verb runs
 * under the project lock with the locked verbs' crash GC, as openProject's down does.
 */
export async function openDownProject(lo: LoadOptions, o: EngineOptions = {}): Promise<DownProject> {
  const { projectOrState } = await import('./project-or-state.ts');
  const project = await projectOrState(lo, o);
  return {
    project,
    async down(req) {
      const [{ locked }, { down }] = await Promise.all([import('./project-context.ts'), import('./commands/down.ts')]);
      return locked(project, o, (ctx) => down(ctx, req), false);
    },
  };
}

/** The plan as `--dry-run` prints it. */
export async function planText(plan: Plan): Promise<string> {
  return (await import('../plan/index.ts')).formatPlan(plan);
}
