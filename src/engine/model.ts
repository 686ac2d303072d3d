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

/**
 * What `logs` needs of the files, in one load: the project's name (as `-p`, the files' `name:` or
 * the directory give it) and its service names, those of inactive profiles included (Compose
 * checks the names given to logs against them). With `-p NAME` and no readable compose file, the
 * name alone (`services` undefined): the containers' labels are all there is.
 */
export async function projectNamesOf(lo: LoadOptions): Promise<{ name: string; services?: ReadonlySet<string> }> {
  const { loadRaw } = await import('../project/index.ts');
  let raw: Awaited<ReturnType<typeof loadRaw>>;
  try {
    raw = await loadRaw({ ...lo, interpolate: true });
  } catch (e) {
    if (lo.projectName) return { name: lo.projectName };
    throw e;
  }
  const data = raw.data['services'];
  const services = [
    ...Object.keys(typeof data === 'object' && data !== null ? data : {}),
    ...(raw.disabledServices ?? []),
  ];
  return { name: raw.name, services: new Set(services) };
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

/**
 * `down`'s door: the project from the state root's record of the last load with the same inputs
 * while none changed (project/recorded-load.ts, as exec), else loaded in full; with `-p NAME` and no
 * compose file in reach the project as it exists (state-project.ts), as Compose's down works from the
 * project's name alone. Why the record: a full load (YAML, schema validator, normalizers, and their
 * share of the down bundle's code cache: 1.34 → 0.73 MB) cost a 1-service down 35 ms of 360 ms CPU, a
 * 10-service down 28 of 450, in interleaved pairs at load 12–17 (bench/RESULTS.md,
 * "Issue 20, down20").
 */
export async function openProjectOrState(lo: LoadOptions, o: EngineOptions = {}): Promise<ProjectHandle> {
  const [{ projectOrState }, { openProject }] = await Promise.all([
    import('./project-or-state.ts'),
    import('./project.ts'),
  ]);
  return openProject(await projectOrState(lo, o), o);
}

/**
 * `up`'s door: the project from the state root's record while none of its inputs changed (as down's), else
 * loaded in full and recorded. Why: a warm up then reads none of the loader (YAML readers, the schema
 * validator, the normalizers: 0.6 of the up bundle's 1.2 MB, a file of its own) nor runs it
 * (bench/RESULTS.md, "Issue 20, up11").
 */
export async function openProjectRecorded(lo: LoadOptions, o: EngineOptions = {}): Promise<ProjectHandle> {
  const [{ openProject }, { loadRecorded }] = await Promise.all([
    import('./project.ts'),
    import('./project-or-state.ts'),
  ]);
  return openProject(await loadRecorded(lo, o), o);
}
