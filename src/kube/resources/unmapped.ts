// The service fields that have no Kubernetes form, each with the reason printed to the user.
// Fields mapped elsewhere are not listed here; a field in neither place would be a silent drop,
// which test/unit/kube/coverage.test.ts forbids.
import type { ServiceConfig } from '../../project/model.ts';
import type { Notes } from '../options.ts';

/** Field → why it is not carried over (when present in a service). */
export const NOT_CARRIED: Readonly<Record<string, string>> = {
  build: 'build and push the image first; the manifest references the image name (see --image-registry)',
  container_name: 'pods get generated names; the Service keeps the service name resolvable',
  domainname: 'pods take the cluster domain',
  ulimits: 'ulimits are set per node by the container runtime',
  memswap_limit: 'Kubernetes has no swap limit per container',
  cpu_shares: 'use deploy.resources.reservations.cpus (requests) instead',
  cpuset: 'CPU pinning is the kubelet CPU manager policy',
  stop_signal: 'Kubernetes 1.27 always sends SIGTERM',
  volumes_from: 'pods do not share volumes across workloads',
  links: 'every service name already resolves through its Service',
};

const BY_VALUE: readonly [string, (s: ServiceConfig) => string | undefined][] = [
  [
    'network_mode',
    (s) =>
      s.network_mode !== undefined && s.network_mode !== 'host'
        ? `"${s.network_mode}" has no pod equivalent`
        : undefined,
  ],
  ['pid', (s) => (s.pid !== undefined && s.pid !== 'host' ? `"${s.pid}" has no pod equivalent` : undefined)],
  ['ipc', (s) => (s.ipc !== undefined && s.ipc !== 'host' ? `"${s.ipc}" has no pod equivalent` : undefined)],
  ['deploy.mode', (s) => (s.deploy?.mode === 'global' ? 'a DaemonSet is not generated' : undefined)],
];

export function noteUnmapped(svc: ServiceConfig, notes: Notes): void {
  const fields = svc as unknown as Readonly<Record<string, unknown>>;
  for (const [field, why] of Object.entries(NOT_CARRIED)) {
    const v = fields[field];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0))
      notes.notCarried(`services.${svc.name}.${field}`, why);
  }
  for (const [field, why] of BY_VALUE) {
    const reason = why(svc);
    if (reason) notes.notCarried(`services.${svc.name}.${field}`, reason);
  }
  for (const [net, cfg] of Object.entries(svc.networks ?? {})) {
    for (const key of [
      'ipv4_address',
      'ipv6_address',
      'link_local_ips',
      'interface_name',
      'mac_address',
      'driver_opts',
    ] as const) {
      if (cfg?.[key] !== undefined)
        notes.notCarried(
          `services.${svc.name}.networks.${net}.${key}`,
          'the cluster network assigns addresses and interfaces',
        );
    }
  }
  for (const [i, p] of svc.ports.entries()) {
    if (p.host_ip !== undefined && !/^(127\.|::1$|0\.0\.0\.0$|::$)/.test(p.host_ip)) {
      notes.notCarried(`services.${svc.name}.ports[${i}].host_ip`, 'a Service listens on every node address');
    }
    if (p.published?.includes('-'))
      notes.notCarried(`services.${svc.name}.ports[${i}].published`, 'port ranges: only the first port is kept');
  }
}
