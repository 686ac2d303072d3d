// Worker thread: runs `gantry config` for a case in-process (runArgv) in the directory the
// parent wrote it to, and posts back the result. A hang is the parent's to detect and kill.
import { parentPort } from 'node:worker_threads';
import { runArgv } from '../../../src/cli/run-argv.ts';
import type { FuzzCase } from './compose-cases.ts';
import { caseEnv } from './case-files.ts';

export interface CaseRequest {
  readonly c: FuzzCase;
  readonly dir: string;
}

parentPort?.on('message', (req: CaseRequest) => void runCase(req));
// Loaded: the parent starts a case's clock only now (booting tsx and the CLI is no part of a case's time).
parentPort?.postMessage('ready');

async function runCase({ c, dir }: CaseRequest): Promise<void> {
  const started = performance.now();
  try {
    const r = await runArgv(c.args, {
      env: caseEnv(c),
      cwd: dir,
      ...(c.input === undefined ? {} : { input: c.input }),
    });
    parentPort!.postMessage({ ...r, ms: performance.now() - started });
  } catch (err) {
    // runArgv must never throw: report it as the failure it is.
    parentPort!.postMessage({
      exitCode: -1,
      stdout: '',
      stderr: `runArgv threw: ${String(err)}`,
      ms: performance.now() - started,
    });
  }
}
