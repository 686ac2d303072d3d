// Runs fuzz cases through `gantry config` in worker threads, each bounded in time: a case that
// does not answer within timeoutMs is a hang; its worker is terminated and replaced.
import { Worker } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import { makeCase, type FuzzCase } from './compose-cases.ts';
import { judge, type RunResult, type Verdict } from './verdict.ts';
import type { CaseRequest } from './config-worker.ts';
import { writeCase } from './case-files.ts';

export interface CaseOutcome {
  readonly index: number;
  readonly kind: string;
  readonly ms: number;
  readonly result: RunResult | undefined; // undefined: it hung
  readonly verdict: Verdict;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly cases: number;
  readonly workers?: number;
  readonly timeoutMs?: number;
  readonly only?: readonly number[];
  /** Run each case in this directory (already written) instead of a fresh one. */
  readonly dirOf?: (c: FuzzCase) => string;
}

const WORKER = new URL('./config-worker.ts', import.meta.url);

// A worker does not inherit the parent's tsx loader: it registers tsx itself, then runs src/ as is.
const BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`;
/** A worker once it has loaded: under load its boot alone can outlast a case's bound, and is no hang of a case. */
async function spawnWorker(): Promise<Worker> {
  const worker = new Worker(BOOT, { eval: true });
  await new Promise<void>((resolve, reject) => {
    const onReady = (): void => (worker.off('error', onError), resolve());
    const onError = (err: Error): void => (worker.off('message', onReady), reject(err));
    worker.once('message', onReady);
    worker.once('error', onError);
  });
  return worker;
}

function runOne(
  worker: Worker,
  request: CaseRequest,
  timeoutMs: number,
): Promise<{ result?: RunResult & { ms: number } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.off('message', onMessage);
      resolve({});
    }, timeoutMs);
    const onMessage = (result: RunResult & { ms: number }): void => {
      clearTimeout(timer);
      worker.off('error', onError);
      resolve({ result });
    };
    const onError = (err: Error): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      reject(err);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(request);
  });
}

export async function runConfigFuzz(opts: FuzzOptions): Promise<CaseOutcome[]> {
  const indexes = opts.only ?? Array.from({ length: opts.cases }, (_, i) => i);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const outcomes: CaseOutcome[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker = await spawnWorker();
    try {
      while (next < indexes.length) {
        const c = makeCase(opts.seed, indexes[next++]!);
        const started = performance.now();
        const dir = opts.dirOf?.(c) ?? writeCase(c);
        let answer: Awaited<ReturnType<typeof runOne>> = {};
        try {
          // A case that times out gets a second, longer chance in a fresh worker: on a loaded
          // machine a stall is not a hang, and a real hang hangs twice.
          for (const bound of [timeoutMs, 2 * timeoutMs]) {
            try {
              answer = await runOne(worker, { c, dir }, bound);
            } catch (err) {
              answer = {
                result: {
                  exitCode: -1,
                  stdout: '',
                  stderr: `worker died: ${String(err)}`,
                  ms: performance.now() - started,
                },
              };
            }
            if (answer.result?.exitCode !== -1 && answer.result) break;
            await worker.terminate();
            worker = await spawnWorker();
            if (answer.result) break; // died: no second chance
          }
        } finally {
          if (!opts.dirOf) rmSync(dir, { recursive: true, force: true });
        }
        const ms = performance.now() - started;
        if (!answer.result) {
          outcomes.push({
            index: c.index,
            kind: c.kind,
            ms,
            result: undefined,
            verdict: { ok: false, why: `hang: no answer within ${timeoutMs} ms, then ${2 * timeoutMs} ms` },
          });
          continue;
        }
        outcomes.push({
          index: c.index,
          kind: c.kind,
          ms: answer.result.ms,
          result: answer.result,
          verdict: judge(answer.result),
        });
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: opts.workers ?? 2 }, lane));
  return outcomes.sort((a, b) => a.index - b.index);
}
