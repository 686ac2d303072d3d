// What the doctor reads of the host, behind one small interface: the real machine by default, and
// the PATH it looks tools up on is the one gantry runs them from (so a test can hide a tool).
// node:child_process is taken on first use (getBuiltinModule): config and version must not load it.
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';

export interface DoctorProbe {
  readonly kernelRelease: string;
  readonly arch: string;
  readonly euid: number;
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
  /** The command's path on PATH, or undefined. */
  which(cmd: string): string | undefined;
  /** Runs a short command; status undefined when it could not start. */
  run(file: string, args: readonly string[]): { status: number | undefined; output: string };
}

export function hostProbe(env: NodeJS.ProcessEnv = process.env): DoctorProbe {
  const dirs = (env['PATH'] ?? '').split(':').filter((d) => d !== '');
  return {
    kernelRelease: release(),
    arch: process.arch,
    euid: process.geteuid?.() ?? -1,
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (path) => existsSync(path),
    which: (cmd) => dirs.map((d) => join(d, cmd)).find((p) => existsSync(p)),
    run: (file, args) => {
      const r = process
        .getBuiltinModule('node:child_process')
        .spawnSync(file, args, { encoding: 'utf8', timeout: 5000, env: { ...env } });
      return { status: r.error ? undefined : (r.status ?? undefined), output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
    },
  };
}
