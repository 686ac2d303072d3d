// The plan: a DAG of small operations, each with the ids of the ops it waits for and a one-line
// cause, so `up --dry-run` and progress can say why something happens. format() is the text
// `--dry-run` prints and the golden tests compare.

export type OpKind =
  | 'create-network'
  | 'create-volume'
  | 'create-container'
  | 'recreate'
  | 'start'
  | 'stop'
  | 'remove'
  | 'remove-network'
  | 'remove-volume';

export interface PlanOp {
  readonly id: string; // unique in the plan, e.g. "start:web-1"
  readonly kind: OpKind;
  /** Network id, volume name or container name. */
  readonly target: string;
  readonly service?: string;
  readonly number?: number;
  readonly cause: string;
  readonly deps: readonly string[]; // ids of ops that must finish first
}

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
    return `${op.kind.padEnd(16)} ${op.target}  (${op.cause})${after}`;
  });
  return `project ${plan.project}: ${plan.ops.length} operation${plan.ops.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
}

/** Kahn's algorithm, ready ops taken by id so the order never depends on insertion order. */
export function topological(ops: readonly PlanOp[]): readonly PlanOp[] {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const pending = new Map(ops.map((o) => [o.id, o.deps.filter((d) => byId.has(d)).length]));
  const out: PlanOp[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, n]) => n === 0).map(([id]) => id).sort();
    if (ready.length === 0) throw new Error(`plan has a cycle among ${[...pending.keys()].join(', ')}`);
    for (const id of ready) {
      pending.delete(id);
      out.push(byId.get(id)!);
      for (const o of ops) if (pending.has(o.id) && o.deps.includes(id)) pending.set(o.id, pending.get(o.id)! - 1);
    }
  }
  return out;
}
