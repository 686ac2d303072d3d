// What the commands need of the compose model and the plan, reached through the engine so the CLI
// has one door (the architecture test holds it to that): loading a project or only its name,
// compose short syntax for `run`'s flags, the services an attached `up` selects, a plan as text.
import type { LoadOptions } from '../project/raw.ts';
import type { Project } from '../project/model.ts';
import type { EngineOptions, ProjectHandle } from './project-handle.ts';

export type { LoadOptions } from '../project/raw.ts';
export type { Project, ServiceConfig } from '../project/model.ts';
export type { Plan } from '../plan/index.ts';

export async function loadProject(lo: LoadOptions): Promise<Project> {
  return (await import('../project/index.ts')).loadProject(lo);
}

/** The project's name as `-p`, the files' `name:` or the directory give it, without a full load. */
export async function projectNameOf(lo: LoadOptions): Promise<string> {
  if (lo.projectName) return lo.projectName;
  return (await (await import('../project/index.ts')).loadRaw({ ...lo, interpolate: true })).name;
}

/**
 * The project's service names, those of inactive profiles included (as Compose checks names given
 * to logs/ps), from the files alone; undefined when there is no compose file (`-p NAME` only).
 */
export async function serviceNamesOf(lo: LoadOptions): Promise<ReadonlySet<string> | undefined> {
  const { loadRaw } = await import('../project/index.ts');
  let raw: Awaited<ReturnType<typeof loadRaw>>;
  try {
    raw = await loadRaw({ ...lo, interpolate: true });
  } catch {
    return undefined;
  }
  const data = raw.data['services'];
  return new Set([
    ...Object.keys(typeof data === 'object' && data !== null ? data : {}),
    ...(raw.disabledServices ?? []),
  ]);
}

/** Loads the project and opens the engine over it; the project's warnings are the caller's to print. */
export async function openProjectFrom(lo: LoadOptions, o: EngineOptions = {}): Promise<ProjectHandle> {
  const [project, { openProject }] = await Promise.all([loadProject(lo), import('./project.ts')]);
  return openProject(project, o);
}

/** `run -p` / `-v` values in compose short syntax, and `--entrypoint` split as a shell would. */
export async function runFlagParsers(): Promise<{
  portFlags: typeof import('../project/flag-values.ts').portFlags;
  volumeFlags: typeof import('../project/flag-values.ts').volumeFlags;
  splitShellWords: typeof import('../project/normalize/command.ts').splitShellWords;
}> {
  const [{ portFlags, volumeFlags }, { splitShellWords }] = await Promise.all([
    import('../project/flag-values.ts'),
    import('../project/normalize/command.ts'),
  ]);
  return { portFlags, volumeFlags, splitShellWords };
}

/** The plan as `--dry-run` prints it. */
export async function planText(plan: import('../plan/index.ts').Plan): Promise<string> {
  return (await import('../plan/index.ts')).formatPlan(plan);
}
