// The seccomp op for the shim. TypeScript decides: the profile (gantry's default, Docker's default
// semantics; or a user's Docker profile JSON; or none), narrowed to the container's capabilities,
// architecture and kernel, compiled to a BPF program here. The shim only loads that program.
import { release } from 'node:os';
import type { SeccompSetting } from '../spec.ts';
import { capabilityNames } from './caps.ts';
import { DEFAULT_PROFILE } from '../seccomp/profile-default.ts';
import { parseDockerProfile } from '../seccomp/docker-profile.ts';
import { selectRules, type Arch, type Policy } from '../seccomp/select-rules.ts';
import { compileBpf } from '../seccomp/compile-bpf.ts';
import { toHex, type Insn } from '../seccomp/bpf-asm.ts';

const ARCHES: Readonly<Record<string, Arch>> = { x64: 'x86_64', arm64: 'aarch64' };

export function kernelVersion(text = release()): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

const cache = new Map<string, Insn[]>();

/** What decides gantry's default filter (architecture, capabilities, kernel); none for a user's profile. */
export function filterKey(
  setting: SeccompSetting | undefined,
  caps: bigint,
  arch: string = process.arch,
  kernel: readonly [number, number] = kernelVersion(),
): string | undefined {
  const target = ARCHES[arch];
  if (setting === 'unconfined' || typeof setting === 'object' || !target) return undefined;
  return `${target}/${caps.toString(16)}/${kernel.join('.')}`;
}

/** The filter for a container, or undefined for none (unconfined, or an architecture gantry has no table for). */
export function seccompProgram(
  setting: SeccompSetting | undefined,
  caps: bigint,
  arch: string = process.arch,
  kernel: readonly [number, number] = kernelVersion(),
): Insn[] | undefined {
  const target = ARCHES[arch];
  if (setting === 'unconfined' || !target) return undefined;
  const key = filterKey(setting, caps, arch, kernel);
  const hit = key === undefined ? undefined : cache.get(key);
  if (hit) return hit;
  const profile = typeof setting === 'object' ? parseDockerProfile(setting.profile, setting.source) : DEFAULT_PROFILE;
  const prog = compileBpf(selectRules(profile, { arch: target, caps: capabilityNames(caps), kernel }));
  if (key !== undefined) cache.set(key, prog);
  return prog;
}

/** The policy of gantry's default filter on this host (what compileBpf compiles), or undefined as filterKey. */
export function defaultPolicy(setting: SeccompSetting | undefined, caps: bigint): Policy | undefined {
  const target = ARCHES[process.arch];
  if (filterKey(setting, caps) === undefined || !target) return undefined;
  return selectRules(DEFAULT_PROFILE, { arch: target, caps: capabilityNames(caps), kernel: kernelVersion() });
}

/** ["seccomp", count, hex]: 16 hex digits per instruction (see bpf-asm.ts toHex). */
export function seccompOp(prog: readonly Insn[]): string[] {
  return ['seccomp', String(prog.length), toHex(prog)];
}
