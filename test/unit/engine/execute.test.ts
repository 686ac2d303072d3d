// The DAG walker: prerequisites first, at most `limit` ops at once, and a failure stops what has
// not started and is reported with the service and step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executePlan } from '../../../src/engine/ops/execute.ts';
import type { PlanOp } from '../../../src/plan/index.ts';

const op = (id: string, deps: string[] = [], service = id): PlanOp => ({
  id,
  kind: 'start',
  target: `p-${id}-1`,
  service,
  cause: 'created',
  deps,
});
const tick = () => new Promise((r) => setTimeout(r, 5));

test('prerequisites finish first and the concurrency limit holds', async () => {
  const order: string[] = [];
  let running = 0;
  let peak = 0;
  const ops = [op('a'), op('b'), op('c'), op('d'), op('e', ['a', 'b', 'c', 'd'])];
  const done = await executePlan(
    ops,
    async (o) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      order.push(o.id);
      running--;
    },
    { limit: 2 },
  );
  assert.equal(peak, 2);
  assert.equal(order.at(-1), 'e');
  assert.deepEqual([...done].sort(), ['a', 'b', 'c', 'd', 'e']);
});

test('a failure cancels what has not started and names the service and step', async () => {
  const started: string[] = [];
  let siblingSawAbort = false;
  const ops = [op('a'), op('b', ['a']), op('c')];
  await assert.rejects(
    executePlan(
      ops,
      async (o, signal) => {
        started.push(o.id);
        if (o.id === 'a') throw new Error('boom');
        await tick();
        siblingSawAbort = signal.aborted;
      },
      { limit: 4 },
    ),
    /service a: start p-a-1: boom/,
  );
  assert.deepEqual(started.sort(), ['a', 'c']);
  assert.equal(siblingSawAbort, true, 'a running sibling sees the abort');
});

test('an outside abort stops the walk', async () => {
  const ctl = new AbortController();
  const ops = [op('a'), op('b', ['a'])];
  await assert.rejects(
    executePlan(ops, async () => ctl.abort(new Error('SIGINT')), { signal: ctl.signal }),
    /interrupted/,
  );
});
