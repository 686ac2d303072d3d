// Walks a plan's DAG: each op starts once its prerequisites are done, at most `limit` at a time.
// The first failure aborts the shared signal (ops not yet started never start; running ones see
// the abort) and is rethrown naming the service and the step.
import type { PlanOp } from '../../plan/index.ts';
import { GantryError, RuntimeError } from '../../common/errors.ts';
import { ReadyOps } from './ready-ops.ts';

export interface ExecuteOptions {
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

export type RunOp = (op: PlanOp, signal: AbortSignal) => Promise<void>;

const describe = (op: PlanOp): string => `${op.service ? `service ${op.service}: ` : ''}${op.kind} ${op.target}`;

function wrap(op: PlanOp, err: unknown): GantryError {
  const msg = err instanceof Error ? err.message : String(err);
  if (msg.includes(op.target) && err instanceof GantryError) return err;
  return new RuntimeError(`${describe(op)}: ${msg}`, {
    cause: err,
    ...(err instanceof RuntimeError ? { exitCode: err.exitCode } : {}),
  });
}

/** Resolves with the ids of the ops that finished; rejects with the first failure. */
export async function executePlan(
  ops: readonly PlanOp[],
  run: RunOp,
  o: ExecuteOptions = {},
): Promise<readonly string[]> {
  const limit = Math.max(1, o.limit ?? 8);
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const ready = new ReadyOps(ops);
  const done = new Set<string>();
  const running = new Set<Promise<void>>();
  let failure: unknown;
  try {
    while (done.size < ops.length && failure === undefined && !ctl.signal.aborted) {
      for (
        let op = running.size < limit ? ready.take() : undefined;
        op;
        op = running.size < limit ? ready.take() : undefined
      ) {
        const id = op.id;
        const p: Promise<void> = run(op, ctl.signal)
          .then(() => {
            done.add(id);
            ready.done(id);
          })
          .catch((e: unknown) => {
            failure ??= wrap(op, e);
            ctl.abort(failure);
          })
          .finally(() => running.delete(p));
        running.add(p);
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
    await Promise.allSettled(running);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure;
  // An abort after the last op finished interrupted nothing (run's attached program may get the signal next).
  if (o.signal?.aborted && done.size < ops.length)
    throw new RuntimeError(`interrupted: ${String(o.signal.reason)}`, { exitCode: 130 });
  return [...done];
}
