// A small classic-BPF interpreter for seccomp programs, so unit tests can run what the kernel would:
// feed it an architecture, a syscall number and six 64-bit arguments, get the filter's verdict.
// It also checks what the kernel's verifier checks: known opcodes, jumps in range, a final return.
import type { Insn } from '../../src/runtime/seccomp/bpf-asm.ts';

export interface SeccompData {
  readonly nr: number;
  readonly arch: number;
  readonly args?: readonly bigint[];
}

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
export const AUDIT_ARCH_I386 = 0x40000003;

function word(d: SeccompData, off: number): number {
  if (off === 0) return d.nr >>> 0;
  if (off === 4) return d.arch >>> 0;
  if (off >= 16 && off < 64 && off % 4 === 0) {
    const v = d.args?.[(off - 16) >> 3] ?? 0n;
    return Number(((off - 16) % 8 === 0 ? v : v >> 32n) & 0xffffffffn);
  }
  throw new Error(`load from offset ${off}`);
}

export function runFilter(prog: readonly Insn[], d: SeccompData): number {
  let a = 0;
  for (let pc = 0, steps = 0; pc < prog.length; pc++, steps++) {
    if (steps > prog.length) throw new Error('a backward jump');
    const [code, jt, jf, k] = prog[pc]!;
    const cond = (ok: boolean) => {
      pc += ok ? jt : jf;
    };
    switch (code) {
      case 0x20:
        a = word(d, k);
        break;
      case 0x54:
        a = (a & k) >>> 0;
        break;
      case 0x05:
        pc += k;
        break;
      case 0x15:
        cond(a === k);
        break;
      case 0x25:
        cond(a > k);
        break;
      case 0x35:
        cond(a >= k);
        break;
      case 0x45:
        cond((a & k) !== 0);
        break;
      case 0x06:
        return k >>> 0;
      default:
        throw new Error(`opcode 0x${code.toString(16)} at ${pc}`);
    }
    if (pc + 1 >= prog.length) throw new Error(`ran past the end at ${pc}`);
  }
  throw new Error('fell off the end without a return');
}

export const ALLOW = 0x7fff0000;
export const errno = (e: number) => (0x00050000 | e) >>> 0;
