// One Compose service → the pod template every workload kind shares: the main container, an init
// container per healthy dependency, storage, and the pod-wide fields (hostname, DNS, sysctls...).
import type { Container, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import { DEFAULT_WAIT_IMAGE, type GenerateOptions, type Notes } from '../options.ts';
import { kubeName, networkLabel, selectorLabels, splitLabels } from '../names.ts';
import { containerFor } from './container.ts';
import { servicePortLines } from './ports.ts';
import { storageFor } from './volumes.ts';
import { noteUnmapped } from './unmapped.ts';

export function podTemplateFor(
  project: Project,
  svc: ServiceConfig,
  restartPolicy: 'Always' | 'OnFailure' | 'Never',
  opts: GenerateOptions,
  notes: Notes,
): PodTemplateSpec {
  noteUnmapped(svc, notes);
  const storage = storageFor(project, svc, opts, notes);
  const spec: PodSpec = { containers: [containerFor(svc, storage.mounts, opts, notes)], restartPolicy };
  const inits = waitContainers(project, svc, opts, notes);
  if (inits.length) spec.initContainers = inits;
  if (storage.volumes.length) spec.volumes = storage.volumes;
  if (svc.init) spec.shareProcessNamespace = true; // the pod's pause process reaps zombies, as Compose's init does
  if (svc.hostname !== undefined) spec.hostname = kubeName(svc.hostname);
  if (svc.stop_grace_period !== undefined) spec.terminationGracePeriodSeconds = Math.ceil(svc.stop_grace_period / 1000);
  if (svc.network_mode === 'host') spec.hostNetwork = true;
  if (svc.pid === 'host') spec.hostPID = true;
  if (svc.ipc === 'host') spec.hostIPC = true;
  if (svc.extra_hosts?.length) {
    const byIp = new Map<string, string[]>();
    for (const h of svc.extra_hosts) byIp.set(h.ip, [...(byIp.get(h.ip) ?? []), h.host]);
    spec.hostAliases = [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
  }
  if (svc.dns?.length || svc.dns_search?.length || svc.dns_opt?.length) {
    spec.dnsConfig = {};
    if (svc.dns?.length) spec.dnsConfig.nameservers = [...svc.dns];
    if (svc.dns_search?.length) spec.dnsConfig.searches = [...svc.dns_search];
    if (svc.dns_opt?.length) {
      spec.dnsConfig.options = svc.dns_opt.map((o) => {
        const [name, value] = o.split(':');
        return value === undefined ? { name: name! } : { name: name!, value };
      });
    }
  }
  const pod = podSecurity(svc, notes);
  if (pod) spec.securityContext = pod;
  if (svc.platform !== undefined) {
    const [os, arch] = svc.platform.split('/');
    spec.nodeSelector = { 'kubernetes.io/os': os!, ...(arch ? { 'kubernetes.io/arch': arch } : {}) };
  }
  const split = splitLabels(svc.labels);
  const labels: Record<string, string> = { ...split.labels, ...selectorLabels(project.name, svc.name) };
  for (const n of Object.keys(svc.networks ?? {})) labels[networkLabel(n)] = 'true';
  const annotations = { ...split.annotations, ...(svc.annotations ?? {}) };
  return {
    metadata: Object.keys(annotations).length ? { labels, annotations } : { labels },
    spec,
  };
}

function podSecurity(svc: ServiceConfig, notes: Notes): PodSpec['securityContext'] {
  const sc: NonNullable<PodSpec['securityContext']> = {};
  const groups = (svc.group_add ?? []).filter((g) => /^\d+$/.test(g)).map(Number);
  for (const g of svc.group_add ?? []) {
    if (!/^\d+$/.test(g))
      notes.notCarried(`services.${svc.name}.group_add`, `Kubernetes needs numeric groups, not "${g}"`);
  }
  if (groups.length) sc.supplementalGroups = groups;
  const sysctls = Object.entries(svc.sysctls ?? {}).map(([name, value]) => ({ name, value }));
  if (sysctls.length) sc.sysctls = sysctls;
  return Object.keys(sc).length ? sc : undefined;
}

/**
 * depends_on service_healthy → an init container that waits until the dependency's Service takes
 * connections: a Service forwards only to ready pods, and readiness is the healthcheck.
 */
function waitContainers(project: Project, svc: ServiceConfig, opts: GenerateOptions, notes: Notes): Container[] {
  const out: Container[] = [];
  for (const [dep, d] of Object.entries(svc.depends_on).sort(([a], [b]) => a.localeCompare(b))) {
    const target = project.services[dep];
    const path = `services.${svc.name}.depends_on.${dep}`;
    if (d.condition === 'service_started') {
      notes.notCarried(path, 'Kubernetes has no start order; service_started only orders the start');
      continue;
    }
    if (d.condition === 'service_completed_successfully') {
      notes.notCarried(path, `a pod cannot wait for Job ${dep} without API access; both start together`);
      continue;
    }
    if (!target) continue;
    const port = servicePortLines(target).find((l) => l.protocol === 'TCP' && !l.published);
    const name = kubeName(dep);
    // A headless Service (no ports) resolves only to ready pods: waiting for the name is waiting for health.
    const probe = port ? `nc -z -w 2 ${name} ${port.port}` : `nslookup ${name}`;
    out.push({
      name: `wait-for-${name}`,
      image: opts.waitImage ?? DEFAULT_WAIT_IMAGE,
      command: ['sh', '-c', `until ${probe}; do echo waiting for ${name}; sleep 1; done`],
    });
  }
  return out;
}
