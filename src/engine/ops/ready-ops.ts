// The ops of a plan whose prerequisites are done, handed out in plan order: counts of pending
// prerequisites and a reverse index (linear in ops and edges), plus a min-heap of plan indexes,
// so walking a plan of 40,000 ops never rescans it per op.
import type { PlanOp } from '../../plan/index.ts';

export class ReadyOps {
  readonly #ops: readonly PlanOp[];
  readonly #pending: number[];
  readonly #dependents = new Map<string, number[]>();
  readonly #heap: number[] = [];

  constructor(ops: readonly PlanOp[]) {
    this.#ops = ops;
    const index = new Map(ops.map((op, i) => [op.id, i]));
    this.#pending = ops.map((op, i) => {
      let n = 0;
      for (const d of new Set(op.deps)) {
        if (!index.has(d) || d === op.id) continue; // a dependency outside the plan is already there
        n++;
        const list = this.#dependents.get(d);
        if (list) list.push(i);
        else this.#dependents.set(d, [i]);
      }
      return n;
    });
    this.#pending.forEach((n, i) => (n === 0 ? this.#push(i) : undefined));
  }

  /** The next ready op in plan order, or undefined. */
  take(): PlanOp | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return this.#ops[top];
  }

  /** `id` finished: its dependents with nothing else pending become ready. */
  done(id: string): void {
    for (const i of this.#dependents.get(id) ?? []) if (--this.#pending[i]! === 0) this.#push(i);
    this.#dependents.delete(id);
  }

  #push(i: number): void {
    const h = this.#heap;
    h.push(i);
    for (let c = h.length - 1; c > 0;) {
      const p = (c - 1) >> 1;
      if (h[p]! <= h[c]!) break;
      [h[p], h[c]] = [h[c]!, h[p]!];
      c = p;
    }
  }
}
