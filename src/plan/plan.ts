// The plan: a DAG of small operations, each with the ids of the ops it waits for and a one-line
// cause, so `up --dry-run` and progress can say why something happens. format() is the text
// `--dry-run` prints and the golden tests compare.

/** The kinds of plan steps. */
export type OpKind =
  | 'create-network'
  | 'create-volume'
  | 'create-container'
  | 'recreate'
  | 'start'
  | 'stop'
  | 'remove'
  | 'remove-network'
  | 'remove-volume'
  | 'kill'
  | 'pause'
  | 'unpause';

/** One step of a plan, with why it is there. */
export interface PlanOp {
  readonly id: string; // unique in the plan, e.g. "start:web-1"
  readonly kind: OpKind;
  /** Network id, volume name or container name. */
  readonly target: string;
  readonly service?: string;
  readonly number?: number;
  readonly cause: string;
  /** A `run` container (create-container, start): made from the run request, not the service alone. */
  readonly oneOff?: boolean;
  /** kill: the signal sent (a name such as SIGTERM, or a number). */
  readonly signal?: string;
  readonly deps: readonly string[]; // ids of ops that must finish first
}

/** The steps an engine command carries out, in dependency order (`--dry-run` prints it). */
export interface Plan {
  readonly project: string;
  readonly ops: readonly PlanOp[];
}

export const opId = (kind: OpKind, target: string): string => `${kind}:${target}`;

/** One line per op in a stable topological order: `kind target (cause) after [deps]`. */
export function formatPlan(plan: Plan): string {
  if (plan.ops.length === 0) return `project ${plan.project}: nothing to do\n`;
  const lines = topological(plan.ops).map((op) => {
    const after = op.deps.length > 0 ? `  after ${[...op.deps].sort().join(', ')}` : '';
    const sig = op.signal !== undefined ? ` ${op.signal}` : '';
    return `${op.kind.padEnd(16)} ${op.target}${sig}  (${op.cause})${after}`;
  });
  return `project ${plan.project}: ${plan.ops.length} operation${plan.ops.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
}

/**
 * Kahn's algorithm in rounds: each round takes every op ready at its start, by id, so the order
 * never depends on insertion order. Linear in ops and edges (a reverse index), plus the sorts.
 */
export function topological(ops: readonly PlanOp[]): readonly PlanOp[] {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const o of ops) {
    let n = 0;
    for (const d of new Set(o.deps)) {
      if (!byId.has(d)) continue;
      n++;
      const list = dependents.get(d);
      if (list) list.push(o.id);
      else dependents.set(d, [o.id]);
    }
    pending.set(o.id, n);
  }
  const out: PlanOp[] = [];
  let ready = [...pending]
    .filter(([, n]) => n === 0)
    .map(([id]) => id)
    .sort();
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      pending.delete(id);
      out.push(byId.get(id)!);
      for (const dep of dependents.get(id) ?? []) {
        const left = pending.get(dep)! - 1;
        pending.set(dep, left);
        if (left === 0) next.push(dep);
      }
    }
    ready = next.sort();
  }
  if (pending.size > 0) throw new Error(`plan has a cycle among ${[...pending.keys()].join(', ')}`);
  return out;
}
