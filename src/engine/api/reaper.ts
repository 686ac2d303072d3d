// The reaper: a small watchdog process per environment that takes it down when the process that made
// it ends without doing so (kill -9, a crash, a forgotten down). It holds the read end of a pipe
// whose write end only this process has; the kernel closes that end however this process dies, so
// the watchdog learns of the death at once, with no polling and no pid reuse to fear. A clean
// `down` first writes "done", and the watchdog then exits without acting.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Project } from '../../project/model.ts';

/** What the watchdog reads first: enough to take the project down without its compose files. */
export interface ReaperOrder {
  readonly root: string;
  readonly stopTimeoutMs: number;
  readonly project: Project;
}

export interface Reaper {
  /** The environment is down (or kept on purpose): the watchdog exits without acting. */
  release(): void;
}

/** Under tsx (tests, sources) the entry is the .ts beside this file; built, the .js beside it. */
function entry(): readonly string[] {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return [join(dirname(self), 'reaper-main.js')];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, join(dirname(self), 'reaper-main.ts')];
}

function reaperEnv(): NodeJS.ProcessEnv {
  // A node:test child's marker would make the watchdog report to a runner that is not its parent.
  const { NODE_TEST_CONTEXT: _test, NODE_EXTRA_CA_CERTS: _certs, ...env } = process.env;
  return env;
}

export function startReaper(order: ReaperOrder): Reaper {
  // detached = setsid: a Ctrl-C or a kill of the test runner's process group must not take the watchdog too.
  // The root and project in its argv name it in `ps` (and to the tests' host snapshots); it reads neither.
  const child = spawn(process.execPath, [...entry(), order.root, order.project.name], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    cwd: '/',
    env: reaperEnv(),
  });
  child.unref();
  const pipe = child.stdin;
  if (!pipe) throw new Error('reaper: no pipe to the watchdog');
  // The write end must not keep this process alive: a test file that ends still ends (and is reaped).
  if (pipe instanceof Socket) pipe.unref();
  pipe.on('error', () => undefined); // a watchdog that died already: nothing left to tell it
  pipe.write(`${JSON.stringify(order)}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      pipe.end('done\n');
    },
  };
}
