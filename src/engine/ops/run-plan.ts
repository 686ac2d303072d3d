// The one way a command's plan is carried out, unchanged: every op through runOp (which emits
// op-start / op-done, the record of what ran). What the network manager batches is told here,
// from the plan itself: a network the plan removes goes with its last endpoint's detach (one lock
// turn and one `ip` batch instead of one per container, see network's expectRemoval), and what
// the supervisor must hear goes through supervisor-seam.ts, so no command sets up timing hints
// of its own.
import type { Plan, PlanOp } from '../../plan/index.ts';
import type { EngineContext } from '../context.ts';
import { executePlan } from './execute.ts';
import { runOp } from './index.ts';
import { beforeOp, beforePlan, type SupervisorNotice } from './supervisor-seam.ts';

export interface RunPlanOptions {
  readonly limit?: number;
  readonly signal?: AbortSignal;
  /**
   * Go on past failures (down, kill): each is a warning unless `tolerate` returns true, and they
   * are returned for the caller to fail with once every op had its turn. Without it, the first
   * failure cancels the rest and is thrown.
   */
  readonly keepGoing?: boolean;
  readonly tolerate?: (op: PlanOp, e: Error) => boolean;
  /** Ids of the ops that finished, filled as they do (up's undo reads it after a failure). */
  readonly done?: Set<string>;
  /** What the supervisor is told before the first op (supervisor-seam.ts). */
  readonly notice?: SupervisorNotice;
}

/** Resolves with the failures (`kind target: why`) that keepGoing went past. */
export async function runPlan(ctx: EngineContext, plan: Plan, o: RunPlanOptions = {}): Promise<readonly string[]> {
  beforePlan(ctx, plan, o.notice ?? {});
  const leaving = plan.ops.filter((op) => op.kind === 'remove-network').map((op) => op.target);
  if (leaving.length > 0) ctx.nets.expectRemoval(leaving);
  const failures: string[] = [];
  const run = async (op: PlanOp, signal: AbortSignal): Promise<void> => {
    await beforeOp(op, o.notice ?? {});
    if (!o.keepGoing) return runOp(ctx, op, signal);
    await runOp(ctx, op, signal).catch((e: unknown) => {
      if (o.tolerate?.(op, e as Error)) return;
      failures.push(`${op.kind} ${op.target}: ${(e as Error).message}`);
      ctx.emit({ kind: 'warning', message: failures.at(-1)! });
    });
  };
  await executePlan(
    plan.ops,
    async (op, signal) => {
      await run(op, signal);
      o.done?.add(op.id);
    },
    { limit: o.limit ?? 8, ...(o.signal ? { signal: o.signal } : {}) },
  );
  return failures;
}
