// A Compose network → a NetworkPolicy: its members accept traffic only from members of the networks
// they share (policies add up, as a container on two networks hears both). An internal network
// lets its members reach only each other (and cluster DNS); any other network allows all egress.
import type { NetworkPolicy, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { commonLabels, kubeName, meta, networkLabel, selectorLabels } from '../names.ts';
import { LOOPBACK } from './ports.ts';

const DNS: NetworkPolicyPort[] = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

export function networkPolicyFor(project: Project, key: string, opts: GenerateOptions, notes: Notes): NetworkPolicy {
  const net = project.networks[key]!;
  for (const f of ['driver', 'driver_opts', 'ipam', 'enable_ipv6', 'attachable'] as const) {
    if (net[f] !== undefined && !(f === 'driver' && net.driver === 'bridge')) {
      notes.notCarried(`networks.${key}.${f}`, 'the cluster network plugin decides');
    }
  }
  const members = { matchLabels: { [networkLabel(key)]: 'true' } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(`network-${kubeName(key)}`, commonLabels(project.name), opts.namespace),
    spec: {
      podSelector: members,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: members }] }],
      egress: net.internal ? [{ to: [{ podSelector: members }] }, { ports: DNS }] : [{}],
    },
  };
}

/** Published ports accept traffic from anywhere, as Compose's host port does. */
export function publishedPolicyFor(
  project: Project,
  svc: ServiceConfig,
  opts: GenerateOptions,
): NetworkPolicy | undefined {
  // A loopback-only port is reachable from this host alone: no wider than the network policies.
  const outside = svc.ports.filter((p) => !(p.host_ip !== undefined && LOOPBACK.test(p.host_ip)));
  if (outside.length === 0) return undefined;
  const ports = [...new Set(outside.map((p) => `${p.protocol.toUpperCase()}/${p.target}`))]
    .sort()
    .map((s) => ({ protocol: s.split('/')[0]!, port: Number(s.split('/')[1]) }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(`published-${kubeName(svc.name)}`, commonLabels(project.name, svc.name), opts.namespace),
    spec: {
      podSelector: { matchLabels: selectorLabels(project.name, svc.name) },
      policyTypes: ['Ingress'],
      ingress: [{ ports }],
    },
  };
}
