// The last ops before exec, shared by start and exec: rlimits, the
// capability bounding set, the uid/gid/groups switch, the remaining caps, no_new_privs, exec.
import type { ProcessSpec } from '../spec.ts';
import { capabilityMask, DOCKER_DEFAULT_CAPS, heldCapabilities } from './caps.ts';
import { rlimitOps } from './rlimits.ts';
import { seccompOpFor, type FilterMemo } from './seccomp-memo.ts';
import type { ResolvedUser } from './user.ts';
import type { Op } from './plan-encoding.ts';

export type { Op } from './plan-encoding.ts';
export { encodePlan as serializePlan } from './plan-encoding.ts';

/** memo: where PID 1's filter is kept (seccomp-memo.ts); without it the filter is compiled. */
export function privilegeOps(
  proc: ProcessSpec,
  user: ResolvedUser,
  hard: readonly (bigint | undefined)[],
  memo?: FilterMemo,
): Op[] {
  for (const s of [...proc.args, ...proc.env])
    if (s.includes('\0')) throw new Error('argument or environment contains a NUL byte');
  if (proc.args.length === 0) throw new Error('no command given (image has no entrypoint or cmd)');
  const caps = capabilityMask(proc.capAdd, proc.capDrop, DOCKER_DEFAULT_CAPS, heldCapabilities());
  const mask = caps.toString(16);
  const filter = seccompOpFor(proc.seccomp, caps, memo);
  return [
    ...rlimitOps(proc.rlimits ?? [], hard),
    ['bounding', mask],
    // while still root with CAP_SYS_ADMIN: installing a filter needs it (or no_new_privs)
    ...(filter ? [filter] : []),
    ['user', String(2 + user.groups.length), String(user.uid), String(user.gid), ...user.groups.map(String)],
    ['caps', mask],
    ...(proc.noNewPrivileges ? [['nnp']] : []),
    ['chdir', proc.cwd],
    ['args', String(proc.args.length), ...proc.args],
    ['env', String(proc.env.length), ...proc.env],
    ['exec'],
  ];
}
