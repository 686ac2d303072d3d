// kill -9 at random points, for the crash tests: a seeded generator (so a failing run replays
// from its printed seed) and a CLI run SIGKILLed after a delay.
import { spawn } from 'node:child_process';
import { GANTRY_BIN } from './cli.ts';

/** mulberry32: a tiny seeded generator, so a failing run can be replayed with its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the CLI and SIGKILLs it after delayMs; true if it was killed (not finished before). */
export function killAfter(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string | undefined,
  delayMs: number,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GANTRY_BIN, ...args], { cwd, env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', reject);
    child.on('close', (_code, sig) => {
      clearTimeout(timer);
      resolve(sig === 'SIGKILL');
    });
  });
}
