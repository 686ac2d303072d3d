// Where a project's supervision files live (see ../supervision.ts), and reading them: the
// supervision set, the pid file ("<pid> <start-time>", pid-reuse safe) and the applied marker.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SupervisionSet } from '../supervision.ts';
import { processStart } from '../../runtime/container.ts';

export interface SupervisorFiles {
  readonly dir: string;
  readonly set: string;
  readonly pid: string;
  readonly health: string;
  readonly log: string;
  /** {"generation","pid","error"?}: written by the supervisor after each reload. */
  readonly applied: string;
}

export const filesOf = (projectDir: string): SupervisorFiles => ({
  dir: projectDir,
  set: join(projectDir, 'supervision.json'),
  pid: join(projectDir, 'supervisor.pid'),
  health: join(projectDir, 'health'),
  log: join(projectDir, 'supervisor.log'),
  applied: join(projectDir, 'supervisor.applied'),
});

/** `<root>/projects/<project>` → `<root>` (stateDirs puts projects/ right under the root). */
export const stateRootOf = (projectDir: string): string => dirname(dirname(projectDir));

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const readSet = (f: SupervisorFiles): SupervisionSet | undefined => readJson<SupervisionSet>(f.set);

export interface Applied {
  readonly generation: number;
  readonly pid: number;
  readonly error?: string;
}

/** Start time of a pid (clock ticks since boot), undefined once it is gone: pid-reuse safe. */
export const startTimeOf = (pid: number): string | undefined => processStart(pid);

/** The live supervisor's pid, or undefined (no file, or a dead / reused pid). */
export function livePid(f: SupervisorFiles): number | undefined {
  let text: string;
  try {
    text = readFileSync(f.pid, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, start] = text.trim().split(' ');
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 && start !== undefined && startTimeOf(n) === start ? n : undefined;
}

/** Temp file + rename: readers (ps, ensureSupervisor) never see half a file. */
export function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
