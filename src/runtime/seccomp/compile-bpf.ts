// Compiles a policy (select-rules.ts) into a classic BPF program for seccomp(2). Layout: check the
// architecture (a foreign one, i386 on x86-64 say, and x32 numbers fail with EPERM, so nothing
// slips past the table of native numbers); load the syscall number; a binary search over the
// number line, split into runs that end alike, so a call costs ~15 instructions; per-call blocks
// test arguments. Arguments are 64-bit and BPF loads 32 bits: each test looks at both halves.
import { Assembler, JEQ, JGE, JGT, type Insn } from './bpf-asm.ts';
import { EPERM, type ArgTest, type SeccompAction } from './profile.ts';
import type { Arch, Policy, Rule } from './select-rules.ts';

/**
 * Names this compiler's output in the shared filter memo (process/seccomp-memo.ts), whose files are
 * keyed by the policy and this revision: a change to what compileBpf (or bpf-asm.ts) emits for a
 * policy must bump it, or containers would load a program the new code would not write.
 * test/unit/runtime/seccomp-memo.test.ts pins the output of a few policies to catch a forgotten bump.
 */
export const BPF_COMPILER_REVISION = 1;

const AUDIT_ARCH: Readonly<Record<Arch, number>> = { x86_64: 0xc000003e, aarch64: 0xc00000b7 };
const X32_SYSCALL_BIT = 0x40000000;
// struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little-endian)
const NR = 0;
const ARCH = 4;
const argLow = (i: number) => 16 + 8 * i;
const argHigh = (i: number) => 20 + 8 * i;

export function actionValue(a: SeccompAction): number {
  switch (a.kind) {
    case 'allow':
      return 0x7fff0000;
    case 'errno':
      return (0x00050000 | (a.errno & 0xffff)) >>> 0;
    case 'kill-process':
      return 0x80000000;
    case 'kill-thread':
      return 0;
    case 'trap':
      return 0x00030000;
    case 'log':
      return 0x7ffc0000;
    case 'trace':
      return (0x7ff00000 | (a.data & 0xffff)) >>> 0;
  }
}

const high = (v: bigint) => Number((v >> 32n) & 0xffffffffn);
const low = (v: bigint) => Number(v & 0xffffffffn);

/** Falls through when the test holds, jumps to `fail` when not. */
function emitTest(a: Assembler, t: ArgTest, fail: string): void {
  if (t.index < 0 || t.index > 5) throw new Error(`seccomp: argument index ${t.index} (0 to 5)`);
  const pass = a.fresh('pass');
  const [vh, vl] = [high(t.value), low(t.value)];
  if (t.op === 'masked-eq') {
    const [mh, ml, dh, dl] = [high(t.value), low(t.value), high(t.valueTwo), low(t.valueTwo)];
    if (mh !== 0 || dh !== 0) {
      a.load(argHigh(t.index));
      a.and(mh);
      a.jump(JEQ, dh, 0, fail);
    }
    a.load(argLow(t.index));
    a.and(ml);
    a.jump(JEQ, dl, 0, fail);
    return;
  }
  a.load(argHigh(t.index));
  if (t.op === 'eq') {
    a.jump(JEQ, vh, 0, fail);
    a.load(argLow(t.index));
    a.jump(JEQ, vl, 0, fail);
    return;
  }
  if (t.op === 'ne') {
    a.jump(JEQ, vh, 0, pass);
    a.load(argLow(t.index));
    a.jump(JEQ, vl, fail, pass);
  } else if (t.op === 'gt' || t.op === 'ge') {
    a.jump(JGT, vh, pass, 0);
    a.jump(JEQ, vh, 0, fail);
    a.load(argLow(t.index));
    a.jump(t.op === 'gt' ? JGT : JGE, vl, pass, fail);
  } else {
    // lt, le: the negations of ge, gt
    a.jump(JGT, vh, fail, 0);
    a.jump(JEQ, vh, 0, pass);
    a.load(argLow(t.index));
    a.jump(t.op === 'lt' ? JGE : JGT, vl, fail, pass);
  }
  a.label(pass);
}

interface Segment {
  readonly lo: number;
  readonly target: string;
}

interface Block {
  readonly rules: readonly Rule[];
  readonly last: number;
}

/** Per number: the conditional rules (in order), then the first unconditional one, else the default. */
function plan(policy: Policy, a: Assembler): { segments: Segment[]; blocks: Map<string, Block> } {
  const deflt = `ret:${actionValue(policy.defaultAction)}`;
  const byNr = new Map<number, Rule[]>();
  for (const r of policy.rules) byNr.set(r.nr, [...(byNr.get(r.nr) ?? []), r]);
  const blocks = new Map<string, Block>();
  const targets = new Map<number, string>();
  for (const [nr, rules] of byNr) {
    const plain = rules.find((r) => r.args.length === 0);
    const last = actionValue(plain?.action ?? policy.defaultAction);
    const tested = rules.filter((r) => r.args.length > 0);
    // trailing tests that end as the fallback does change nothing; earlier ones still shadow later ones
    while (tested.length > 0 && actionValue(tested[tested.length - 1]!.action) === last) tested.pop();
    if (tested.length === 0) {
      targets.set(nr, `ret:${last}`);
      continue;
    }
    const label = a.fresh(`nr${nr}`);
    blocks.set(label, { rules: tested, last });
    targets.set(nr, `block:${label}`);
  }
  const segments: Segment[] = [];
  const push = (lo: number, target: string) => {
    if (segments.at(-1)?.lo === lo) segments.pop(); // a run of length zero
    if (segments.at(-1)?.target !== target) segments.push({ lo, target });
  };
  push(0, deflt);
  for (const nr of [...targets.keys()].sort((x, y) => x - y)) {
    push(nr, targets.get(nr)!);
    if (!targets.has(nr + 1)) push(nr + 1, deflt);
  }
  return { segments, blocks };
}

function emitTree(a: Assembler, s: readonly Segment[], lo: number, hi: number): void {
  if (lo === hi) {
    const [kind, v] = s[lo]!.target.split(/:(.*)/s) as [string, string];
    if (kind === 'ret') a.ret(Number(v));
    else a.goto(v);
    return;
  }
  const mid = (lo + hi + 1) >> 1;
  const right = a.fresh('ge');
  a.jump(JGE, s[mid]!.lo, 0, 1); // true: take the long jump below; false: skip it, into the lower half
  a.goto(right);
  emitTree(a, s, lo, mid - 1);
  a.label(right);
  emitTree(a, s, mid, hi);
}

export function compileBpf(policy: Policy): Insn[] {
  const a = new Assembler();
  const refuse = actionValue({ kind: 'errno', errno: EPERM });
  a.load(ARCH);
  a.jump(JEQ, AUDIT_ARCH[policy.arch], 1, 0);
  a.ret(refuse);
  a.load(NR);
  if (policy.arch === 'x86_64') {
    a.jump(JGE, X32_SYSCALL_BIT, 0, 1);
    a.ret(refuse);
  }
  const { segments, blocks } = plan(policy, a);
  emitTree(a, segments, 0, segments.length - 1);
  for (const [label, { rules, last }] of blocks) {
    a.label(label);
    for (const r of rules) {
      const next = a.fresh('next');
      for (const t of r.args) emitTest(a, t, next);
      a.ret(actionValue(r.action));
      a.label(next);
    }
    a.ret(last);
  }
  return a.assemble();
}
