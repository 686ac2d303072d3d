// Starting the C shim and reading its one-line start report from fd 3: "pid N" once the
// container's program is exec'd, or "error STEP ARG: REASON" when setup failed.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Host } from '../host.ts';

export type StartReport = { readonly pid: number } | { readonly error: string };

export function readReport(child: ChildProcess): Promise<StartReport> {
  const pipe = child.stdio[3] as Readable | null | undefined;
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      const line = text.split('\n')[0] ?? '';
      if (line.startsWith('pid ')) resolve({ pid: Number(line.slice(4)) });
      else resolve({ error: line.startsWith('error ') ? line.slice(6) : 'the shim exited before starting the container' });
    };
    if (!pipe) return resolve({ error: 'no report pipe' });
    pipe.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        pipe.destroy();
        done();
      }
    });
    pipe.on('end', done);
    pipe.on('error', done);
  });
}

/** Resolves with the shim's exit code (the program's, 128+signal when killed). */
export function shimExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.ref(); // a detached shim is unref'd; waiting for it must keep us alive
    child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : 125)));
  });
}

export function spawnShim(host: Host, plan: string, attach: 'inherit' | 'pipe' | 'ignore', detached: boolean): ChildProcess {
  const child = host.spawnShim(plan, { detached, stdio: attach });
  if (detached) child.unref();
  return child;
}
