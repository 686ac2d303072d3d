// One Compose service → its main container: image, entrypoint/command, env, ports, security,
// resources and probes. Compose's entrypoint is Kubernetes' command; Compose's command is args.
import type { Container, EnvVar, ResourceRequirements, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { kubeName } from '../names.ts';
import { probesFor } from './probes.ts';
import { byteQuantity, cpuQuantity } from './quantities.ts';
import { containerPorts } from './ports.ts';
import type { VolumeMount } from 'kubernetes-types/core/v1.js';

// Kubernetes expands $(VAR) and turns $$ into $ in command, args and env values; Compose has
// already interpolated, so a `$` before `$` or `(` is doubled to reach the process as written.
const literal = (s: string): string => s.replace(/\$(?=[$(])/g, '$$$$');

const PULL: Readonly<Record<string, string>> = {
  always: 'Always',
  never: 'Never',
  missing: 'IfNotPresent',
  if_not_present: 'IfNotPresent',
};

export function imageFor(svc: ServiceConfig, opts: GenerateOptions): string {
  const image = svc.image ?? svc.name;
  return opts.imageRegistry ? `${opts.imageRegistry.replace(/\/+$/, '')}/${image}` : image;
}

export function containerFor(
  svc: ServiceConfig,
  mounts: VolumeMount[],
  opts: GenerateOptions,
  notes: Notes,
): Container {
  const path = `services.${svc.name}`;
  const c: Container = { name: kubeName(svc.name), image: imageFor(svc, opts) };
  if (svc.entrypoint === null || (svc.entrypoint !== undefined && svc.entrypoint.length === 0)) {
    notes.notCarried(`${path}.entrypoint`, "Kubernetes cannot clear an image's entrypoint");
  } else if (svc.entrypoint) c.command = svc.entrypoint.map(literal);
  if (svc.command === null || (svc.command !== undefined && svc.command.length === 0)) {
    notes.notCarried(`${path}.command`, "Kubernetes cannot clear an image's command");
  } else if (svc.command) c.args = svc.command.map(literal);
  const env: EnvVar[] = Object.keys(svc.environment)
    .sort()
    .flatMap((name) => (svc.environment[name] == null ? [] : [{ name, value: literal(svc.environment[name]!) }]));
  if (env.length) c.env = env;
  if (svc.working_dir !== undefined) c.workingDir = svc.working_dir;
  const ports = containerPorts(svc);
  if (ports.length) c.ports = ports;
  if (mounts.length) c.volumeMounts = mounts;
  const sc = securityContext(svc, notes);
  if (Object.keys(sc).length) c.securityContext = sc;
  const res = resources(svc, notes);
  if (res) c.resources = res;
  Object.assign(c, probesFor(svc.name, svc.healthcheck, notes));
  if (svc.pull_policy !== undefined) {
    const p = PULL[svc.pull_policy];
    if (p) c.imagePullPolicy = p;
    else notes.notCarried(`${path}.pull_policy`, `"${svc.pull_policy}" has no imagePullPolicy equivalent`);
  }
  if (svc.tty) c.tty = true;
  if (svc.stdin_open) c.stdin = true;
  return c;
}

function securityContext(svc: ServiceConfig, notes: Notes): SecurityContext {
  const sc: SecurityContext = {};
  if (svc.user !== undefined) {
    const [user, group] = svc.user.split(':');
    if (/^\d+$/.test(user!)) sc.runAsUser = Number(user);
    else notes.notCarried(`services.${svc.name}.user`, `Kubernetes needs a numeric user, not "${user}"`);
    if (group !== undefined) {
      if (/^\d+$/.test(group)) sc.runAsGroup = Number(group);
      else notes.notCarried(`services.${svc.name}.user`, `Kubernetes needs a numeric group, not "${group}"`);
    }
  }
  if (svc.read_only) sc.readOnlyRootFilesystem = true;
  if (svc.privileged) sc.privileged = true;
  const cap = (l: readonly string[] | undefined): string[] => [...(l ?? [])].map((c) => c.replace(/^CAP_/i, '')).sort();
  if (svc.cap_add?.length || svc.cap_drop?.length) {
    sc.capabilities = {};
    if (svc.cap_add?.length) sc.capabilities.add = cap(svc.cap_add);
    if (svc.cap_drop?.length) sc.capabilities.drop = cap(svc.cap_drop);
  }
  return sc;
}

function resources(svc: ServiceConfig, notes: Notes): ResourceRequirements | undefined {
  const r = svc.deploy?.resources;
  if (!r) return undefined;
  const out: ResourceRequirements = {};
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (r.limits?.cpus !== undefined) limits['cpu'] = cpuQuantity(r.limits.cpus);
  if (r.limits?.memory !== undefined) limits['memory'] = byteQuantity(r.limits.memory);
  if (r.limits?.pids !== undefined) {
    notes.notCarried(`services.${svc.name}.deploy.resources.limits.pids`, 'pid limits are set per node by the kubelet');
  }
  if (r.reservations?.cpus !== undefined) requests['cpu'] = cpuQuantity(r.reservations.cpus);
  if (r.reservations?.memory !== undefined) requests['memory'] = byteQuantity(r.reservations.memory);
  if (Object.keys(limits).length) out.limits = limits;
  if (Object.keys(requests).length) out.requests = requests;
  return Object.keys(out).length ? out : undefined;
}
