// A service's security_opt and devices → the runtime's terms, read at create time: the seccomp
// profile file (Docker's format, checked before anything starts) and the host device nodes
// (their type and numbers). Each failure is one line naming the service and field.
import { readFileSync, statSync } from 'node:fs';
import type { ContainerSpec, DeviceSpec, ProcessSpec, SeccompSetting } from '../../runtime/index.ts';
import { parseDockerProfile } from '../../runtime/index.ts';
import type { ServiceConfig } from '../../project/model.ts';
import { parseSecurityOpt } from '../../project/security-opt.ts';
import { ConfigError, UnsupportedError } from '../../common/errors.ts';

type ProcessSecurity = Pick<ProcessSpec, 'noNewPrivileges' | 'seccomp'>;
type SpecSecurity = Pick<ContainerSpec, 'maskedPaths' | 'readonlyPaths'>;

export function securityOf(svc: ServiceConfig): { process: ProcessSecurity; spec: SpecSecurity } {
  const proc: { noNewPrivileges?: boolean; seccomp?: SeccompSetting } = {};
  let spec: SpecSecurity = {};
  for (const opt of svc.security_opt ?? []) {
    const o = parseSecurityOpt(opt);
    if (typeof o === 'string') throw new ConfigError(o, { keyPath: `services.${svc.name}.security_opt` });
    if (o.kind === 'no-new-privileges') proc.noNewPrivileges = o.on;
    else if (o.kind === 'seccomp')
      proc.seccomp = o.profile === 'unconfined' ? 'unconfined' : profileFile(svc.name, o.profile);
    else if (o.kind === 'systempaths-unconfined') spec = { maskedPaths: [], readonlyPaths: [] };
  }
  return { process: proc, spec };
}

function profileFile(service: string, path: string): { profile: string; source: string } {
  let profile: string;
  try {
    profile = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ConfigError(`seccomp profile ${path}: cannot read it (${code})`, {
      keyPath: `services.${service}.security_opt`,
    });
  }
  parseDockerProfile(profile, path);
  return { profile, source: path };
}

/** The host's device nodes, by stat: a missing one or a file that is no device fails here. */
export function devicesOf(svc: ServiceConfig): DeviceSpec[] {
  return (svc.devices ?? []).map((d) => {
    const field = `services.${svc.name}.devices`;
    if (d.cdi)
      throw new UnsupportedError(`${field}: ${d.source}: CDI devices need a CDI registry, which gantry does not have`);
    let st;
    try {
      st = statSync(d.source, { bigint: true });
    } catch (e) {
      throw new ConfigError(`${d.source}: no such device on this host (${(e as NodeJS.ErrnoException).code ?? e})`, {
        keyPath: field,
      });
    }
    if (!st.isCharacterDevice() && !st.isBlockDevice())
      throw new ConfigError(`${d.source} is not a device node`, { keyPath: field });
    const rdev = st.rdev;
    // glibc's gnu_dev_major/minor split of the 64-bit dev_t
    const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
    const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));
    return {
      type: st.isBlockDevice() ? 'b' : 'c',
      major,
      minor,
      target: d.target,
      access: d.permissions,
      mode: Number(st.mode & 0o7777n),
    };
  });
}
