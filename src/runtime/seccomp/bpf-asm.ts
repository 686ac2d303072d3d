// A tiny classic-BPF assembler: instructions whose jumps name labels, resolved to the 8-bit
// conditional and 32-bit unconditional offsets the kernel wants. Only what seccomp filters use.

/** struct sock_filter: code, jt, jf, k. */
export type Insn = readonly [number, number, number, number];

export const LD_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
export const AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K
export const JA = 0x05; // BPF_JMP | BPF_JA
export const JEQ = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
export const JGT = 0x25;
export const JGE = 0x35;
export const RET_K = 0x06; // BPF_RET | BPF_K
export const MAX_INSNS = 4096; // BPF_MAXINSNS

/** A jump target: a label name, or a number of instructions to skip. */
export type Target = string | number;

type Item =
  | { readonly label: string }
  | { readonly code: number; readonly k: number; readonly jt?: Target; readonly jf?: Target; readonly ja?: string };

export class Assembler {
  private readonly items: Item[] = [];
  private n = 0;

  label(name: string): void {
    this.items.push({ label: name });
  }
  /** A fresh label name. */
  fresh(prefix: string): string {
    return `${prefix}.${this.n++}`;
  }
  load(offset: number): void {
    this.items.push({ code: LD_ABS, k: offset });
  }
  and(mask: number): void {
    this.items.push({ code: AND_K, k: mask >>> 0 });
  }
  jump(code: number, k: number, jt: Target, jf: Target): void {
    this.items.push({ code, k: k >>> 0, jt, jf });
  }
  goto(label: string): void {
    this.items.push({ code: JA, k: 0, ja: label });
  }
  ret(value: number): void {
    this.items.push({ code: RET_K, k: value >>> 0 });
  }

  assemble(): Insn[] {
    const at = new Map<string, number>();
    let pc = 0;
    for (const it of this.items)
      if ('label' in it) at.set(it.label, pc);
      else pc++;
    const out: Insn[] = [];
    const offset = (t: Target, from: number, max: number): number => {
      if (typeof t === 'number') return t;
      const to = at.get(t);
      if (to === undefined) throw new Error(`seccomp: internal: no label ${t}`);
      const d = to - from - 1;
      if (d < 0 || d > max) throw new Error(`seccomp: a jump spans ${d} instructions (the filter is too large)`);
      return d;
    };
    for (const it of this.items) {
      if ('label' in it) continue;
      const pos = out.length;
      if (it.ja !== undefined) out.push([JA, 0, 0, offset(it.ja, pos, 0xffffffff)]);
      else out.push([it.code, offset(it.jt ?? 0, pos, 255), offset(it.jf ?? 0, pos, 255), it.k]);
    }
    if (out.length > MAX_INSNS) {
      throw new Error(`seccomp: the filter has ${out.length} instructions (at most ${MAX_INSNS})`);
    }
    return out;
  }
}

/** The shim's form: 16 hex digits per instruction (code 4, jt 2, jf 2, k 8), so C needs no byte order. */
export function toHex(prog: readonly Insn[]): string {
  const h = (v: number, w: number) => v.toString(16).padStart(w, '0');
  return prog.map(([c, jt, jf, k]) => h(c, 4) + h(jt, 2) + h(jf, 2) + h(k >>> 0, 8)).join('');
}
