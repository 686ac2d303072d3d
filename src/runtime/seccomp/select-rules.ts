// Narrows a profile to one container: the groups that apply to its capabilities, architecture
// and kernel, with names turned into that architecture's numbers. Names the architecture lacks
// (chown32 on x86-64, open on aarch64...) are skipped, as runc skips names libseccomp cannot resolve.
import type { ArgTest, SeccompAction, SeccompProfile, SyscallGroup } from './profile.ts';
import { SYSCALL_NUMBERS } from './syscall-numbers.ts';

export type Arch = 'x86_64' | 'aarch64';

export interface Target {
  readonly arch: Arch;
  /** Capability names held, as "CAP_SYS_ADMIN". */
  readonly caps: readonly string[];
  readonly kernel: readonly [number, number];
}

export interface Rule {
  readonly nr: number;
  readonly action: SeccompAction;
  readonly args: readonly ArgTest[];
}

export interface Policy {
  readonly arch: Arch;
  readonly defaultAction: SeccompAction;
  /** In profile order; for one nr, the first rule whose tests all hold decides. */
  readonly rules: readonly Rule[];
}

// the names Docker's profiles use for an architecture in includes/excludes, and libseccomp's
const ARCH_NAMES: Readonly<Record<Arch, readonly string[]>> = {
  x86_64: ['amd64', 'x86_64', 'SCMP_ARCH_X86_64'],
  aarch64: ['arm64', 'aarch64', 'SCMP_ARCH_AARCH64'],
};

export function syscallNumber(name: string, arch: Arch): number | undefined {
  const pair = Object.hasOwn(SYSCALL_NUMBERS, name) ? SYSCALL_NUMBERS[name] : undefined;
  const nr = pair?.[arch === 'x86_64' ? 0 : 1];
  return nr === undefined || nr < 0 ? undefined : nr;
}

function applies(g: SyscallGroup, t: Target): boolean {
  const archOk = (list: readonly string[]) => list.some((a) => ARCH_NAMES[t.arch].includes(a));
  const inc = g.includes ?? {};
  if (inc.caps && !inc.caps.every((c) => t.caps.includes(c))) return false;
  if (inc.arches && inc.arches.length > 0 && !archOk(inc.arches)) return false;
  if (inc.minKernel) {
    const [maj, min] = inc.minKernel;
    if (t.kernel[0] < maj || (t.kernel[0] === maj && t.kernel[1] < min)) return false;
  }
  const exc = g.excludes ?? {};
  if (exc.caps && exc.caps.some((c) => t.caps.includes(c))) return false;
  if (exc.arches && archOk(exc.arches)) return false;
  return true;
}

/** runc's reading of args: one rule when every index differs, else one rule per test (any may match). */
function argSets(args: readonly ArgTest[]): (readonly ArgTest[])[] {
  const indexes = new Set(args.map((a) => a.index));
  return indexes.size === args.length ? [args] : args.map((a) => [a]);
}

export function selectRules(profile: SeccompProfile, t: Target): Policy {
  const rules: Rule[] = [];
  for (const g of profile.syscalls) {
    if (!applies(g, t)) continue;
    const sets = argSets(g.args ?? []);
    for (const name of g.names) {
      const nr = syscallNumber(name, t.arch);
      if (nr === undefined) continue;
      for (const args of sets) rules.push({ nr, action: g.action, args });
    }
  }
  return { arch: t.arch, defaultAction: profile.defaultAction, rules };
}
