// A service → the Service that keeps its name resolvable, plus one Service per network alias.
// A service without ports gets a headless Service: its name still resolves, as on Compose networks.
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { commonLabels, kubeName, meta, selectorLabels } from '../names.ts';
import { publishesOutside, servicePorts } from './ports.ts';

export function servicesFor(project: Project, svc: ServiceConfig, opts: GenerateOptions, notes: Notes): Service[] {
  const ports = servicePorts(svc);
  const spec: ServiceSpec = { selector: selectorLabels(project.name, svc.name) };
  if (ports.length === 0) spec.clusterIP = 'None';
  else spec.ports = ports;
  const type = opts.serviceType ?? 'ClusterIP';
  if (ports.length) spec.type = publishesOutside(svc) ? type : 'ClusterIP';
  if (spec.type === 'NodePort') nodePorts(svc, spec, notes);
  const labels = commonLabels(project.name, svc.name);
  const main: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(kubeName(svc.name), labels, opts.namespace),
    spec,
  };
  const out = [main];
  const aliases = new Set<string>();
  for (const net of Object.values(svc.networks ?? {})) for (const a of net?.aliases ?? []) aliases.add(kubeName(a));
  aliases.delete(kubeName(svc.name));
  for (const alias of [...aliases].sort()) {
    // Aliases are names inside the cluster only: ClusterIP, whatever the main Service's type.
    const aliasSpec: ServiceSpec = { ...spec, ...(ports.length ? { type: 'ClusterIP', ports } : {}) };
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(alias, labels, opts.namespace), spec: aliasSpec });
  }
  return out;
}

// NodePort keeps the Compose host port only inside the cluster's NodePort range (30000–32767 by default).
function nodePorts(svc: ServiceConfig, spec: ServiceSpec, notes: Notes): void {
  for (const p of spec.ports ?? []) {
    const src = svc.ports.find((c) => c.target === p.targetPort && c.published !== undefined);
    const pub = src?.published !== undefined ? Number(src.published.split('-')[0]) : undefined;
    if (pub === undefined || pub !== p.port) continue;
    if (pub >= 30000 && pub <= 32767) p.nodePort = pub;
    else
      notes.notCarried(
        `services.${svc.name}.ports.${pub}`,
        'outside the NodePort range 30000-32767; the cluster picks a node port',
      );
  }
}
