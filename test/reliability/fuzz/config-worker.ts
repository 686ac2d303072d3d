// Worker thread: writes a case's project into a fresh directory and runs `gantry config` on it
// in-process (runArgv), posting back the result. A hang is the parent's to detect and kill.
import { parentPort } from 'node:worker_threads';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runArgv } from '../../../src/cli/run-argv.ts';
import type { FuzzCase } from './compose-cases.ts';

export function writeCase(c: FuzzCase): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-fuzz-${process.pid}-`));
  for (const [name, content] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

parentPort?.on('message', async (c: FuzzCase) => {
  const dir = writeCase(c);
  const started = performance.now();
  try {
    const env = { PATH: '/usr/bin:/bin', HOME: '/nonexistent', ...c.env };
    const r = await runArgv(c.args, { env, cwd: dir, ...(c.input === undefined ? {} : { input: c.input }) });
    parentPort!.postMessage({ ...r, ms: performance.now() - started, dir });
  } catch (err) {
    // runArgv must never throw: report it as the failure it is.
    parentPort!.postMessage({ exitCode: -1, stdout: '', stderr: `runArgv threw: ${String(err)}`, ms: performance.now() - started, dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
