// Compose ports and expose → container ports and Service ports. Inside the cluster a service is
// reached on its container (target) port, as on a Compose network; a published port that differs
// is added as a second Service port so the outside keeps the Compose host port.
import type { ContainerPort, ServicePort } from 'kubernetes-types/core/v1.js';
import type { ServiceConfig } from '../../project/model.ts';

type Proto = 'TCP' | 'UDP' | 'SCTP';
interface PortLine {
  port: number;
  target: number;
  protocol: Proto;
  published: boolean;
  loopback: boolean;
  name?: string;
}

export const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** Every port a service listens on, from ports and expose, in order, without duplicates. */
export function servicePortLines(svc: ServiceConfig): PortLine[] {
  const out: PortLine[] = [];
  const push = (l: PortLine): void => {
    if (!out.some((o) => o.port === l.port && o.protocol === l.protocol)) out.push(l);
  };
  for (const p of svc.ports) {
    const protocol = p.protocol.toUpperCase() as Proto;
    const loopback = p.host_ip !== undefined && LOOPBACK.test(p.host_ip);
    push({
      port: p.target,
      target: p.target,
      protocol,
      published: false,
      loopback,
      ...(p.name ? { name: p.name } : {}),
    });
    const pub = p.published !== undefined ? Number(p.published.split('-')[0]) : undefined;
    if (pub !== undefined && pub !== p.target && !Number.isNaN(pub)) {
      push({ port: pub, target: p.target, protocol, published: true, loopback });
    }
  }
  for (const e of svc.expose ?? []) {
    const m = e.match(/^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i);
    if (!m) continue;
    const protocol = (m[3] ?? 'tcp').toUpperCase() as Proto;
    for (let p = Number(m[1]); p <= Number(m[2] ?? m[1]); p++) {
      push({ port: p, target: p, protocol, published: false, loopback: false });
    }
  }
  return out;
}

export function containerPorts(svc: ServiceConfig): ContainerPort[] {
  return servicePortLines(svc)
    .filter((l) => !l.published)
    .map((l) => ({ containerPort: l.target, protocol: l.protocol }));
}

export function servicePorts(svc: ServiceConfig): ServicePort[] {
  return servicePortLines(svc).map((l) => ({
    name: l.name ?? `${l.protocol.toLowerCase()}-${l.port}`,
    port: l.port,
    protocol: l.protocol,
    targetPort: l.target,
  }));
}

/** Whether the service publishes a port beyond this host's loopback (Compose's "reachable from outside"). */
export function publishesOutside(svc: ServiceConfig): boolean {
  return svc.ports.some((p) => !(p.host_ip !== undefined && LOOPBACK.test(p.host_ip)));
}
