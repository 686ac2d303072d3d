// The shape of a seccomp profile, as Docker's JSON describes one: groups of system calls by name,
// each with an action, optional argument tests, and filters on capabilities, architecture and
// kernel. The built-in default (profile-default.ts) and a user's --security-opt seccomp=FILE
// (docker-profile.ts) both arrive in this shape; select-rules.ts narrows it to one container.

export type SeccompAction =
  | { readonly kind: 'allow' }
  | { readonly kind: 'errno'; readonly errno: number }
  | { readonly kind: 'kill-process' }
  | { readonly kind: 'kill-thread' }
  | { readonly kind: 'trap' }
  | { readonly kind: 'log' }
  | { readonly kind: 'trace'; readonly data: number };

/** Comparisons on one argument, all unsigned 64-bit; 'masked-eq' tests (arg & value) === valueTwo. */
export type ArgOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'masked-eq';

export interface ArgTest {
  readonly index: number;
  readonly op: ArgOp;
  readonly value: bigint;
  readonly valueTwo: bigint;
}

/** A group applies when every listed cap is held, the arch is listed, the kernel is new enough. */
export interface ProfileFilter {
  readonly caps?: readonly string[];
  readonly arches?: readonly string[];
  readonly minKernel?: readonly [number, number];
}

export interface SyscallGroup {
  readonly names: readonly string[];
  readonly action: SeccompAction;
  /** All must hold (when one index repeats, each test is its own rule, as runc does). */
  readonly args?: readonly ArgTest[];
  readonly includes?: ProfileFilter;
  /** Excluded when any listed cap is held or the arch is listed. */
  readonly excludes?: ProfileFilter;
}

export interface SeccompProfile {
  readonly defaultAction: SeccompAction;
  readonly syscalls: readonly SyscallGroup[];
}

export const EPERM = 1;
export const ENOSYS = 38;
export const ALLOW: SeccompAction = { kind: 'allow' };
