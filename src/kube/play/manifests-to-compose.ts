// `kube play`: Kubernetes manifests → a Compose document, which the CLI loads through the normal
// project pipeline (so the engine sees an ordinary normalized project). Pods and workloads →
// services; Services → network aliases (and published ports when the Service port differs from
// the container's); PVCs → named volumes; ConfigMaps/Secrets → configs/secrets, one per key.
import { parseAllDocuments } from 'yaml';
import type { PodSpec, Service } from 'kubernetes-types/core/v1.js';
import { ConfigError } from '../../common/errors.ts';
import { podServices, type Doc } from './pod-to-service.ts';

type Strings = Record<string, string>;
interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Strings };
  spec?: Doc;
  data?: Strings;
  stringData?: Strings;
  binaryData?: Strings;
}

export interface Played {
  readonly name: string; // the project name: app.kubernetes.io/part-of, else the first object's name
  readonly document: Doc;
  readonly notes: readonly string[];
  /** Secret values, passed to the loader as variables: Compose secrets take no inline content. */
  readonly environment: Readonly<Record<string, string>>;
}

export function manifestsToCompose(texts: readonly { file: string; text: string }[]): Played {
  const objects: Manifest[] = [];
  for (const { file, text } of texts) {
    for (const d of parseAllDocuments(text)) {
      if (d.errors.length) throw new ConfigError(`${file}: ${d.errors[0]!.message}`);
      const v = d.toJS() as Manifest | null;
      if (!v) continue;
      if (v.kind === 'List') objects.push(...((v as { items?: Manifest[] }).items ?? []));
      else objects.push(v);
    }
  }
  const notes: string[] = [];
  const environment: Record<string, string> = {};
  const services: Record<string, Doc> = {};
  const volumes: Record<string, Doc> = {};
  const secrets: Record<string, Doc> = {};
  const configs: Record<string, Doc> = {};
  const networks = new Set<string>();
  const internal = new Set<string>();
  const pods: { name: string; labels: Record<string, string> }[] = [];
  for (const o of objects) {
    const name = o.metadata?.name ?? '';
    const pod = podOf(o);
    if (pod) {
      const labels = pod.labels;
      const prefix = 'network.gantry.dev/';
      const nets = Object.keys(labels)
        .filter((l) => l.startsWith(prefix))
        .map((l) => l.slice(prefix.length))
        .sort();
      for (const n of nets) networks.add(n);
      Object.assign(services, podServices({ ...pod, name, notes }, nets));
      pods.push({ name, labels });
    } else if (o.kind === 'PersistentVolumeClaim') volumes[name] = {};
    else if (o.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(o.data ?? {}))
        configs[`${name}-${k}`] = { content: v.replaceAll('$', () => '$$') };
      for (const k of Object.keys(o.binaryData ?? {})) notes.push(`ConfigMap ${name}: binary key ${k} is not played`);
    } else if (o.kind === 'Secret') {
      const values = [
        ...Object.entries(o.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()] as const),
        ...Object.entries(o.stringData ?? {}),
      ];
      for (const [k, v] of values) {
        const variable = `GANTRY_KUBE_SECRET_${Object.keys(environment).length}`;
        environment[variable] = v;
        secrets[`${name}-${k}`] = { environment: variable };
      }
    } else if (o.kind === 'NetworkPolicy') {
      const spec = o.spec as { egress?: { to?: unknown }[] } | undefined;
      const n = name.replace(/^network-/, '');
      const egress = spec?.egress ?? [];
      const inside = egress.some((e) => e.to !== undefined) && !egress.some((e) => Object.keys(e).length === 0);
      if (name.startsWith('network-') && inside) internal.add(n);
    } else if (o.kind !== 'Service' && o.kind !== 'Ingress') notes.push(`${o.kind} ${name} is not played`);
  }
  for (const o of objects) if (o.kind === 'Service') applyService(o as Service, pods, services);
  const doc: Doc = { services };
  if (Object.keys(volumes).length) doc['volumes'] = volumes;
  if (Object.keys(secrets).length) doc['secrets'] = secrets;
  if (Object.keys(configs).length) doc['configs'] = configs;
  if (networks.size)
    doc['networks'] = Object.fromEntries(
      [...networks].sort().map((n) => [n, internal.has(n) ? { internal: true } : {}]),
    );
  const partOf = objects.map((o) => o.metadata?.labels?.['app.kubernetes.io/part-of']).find((x) => x !== undefined);
  return { name: partOf ?? objects[0]?.metadata?.name ?? 'kube', document: doc, notes, environment };
}

function podOf(
  o: Manifest,
): { spec: PodSpec; labels: Record<string, string>; replicas: number; restart: string } | undefined {
  const spec = o.spec as
    { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec }; replicas?: number } | undefined;
  if (o.kind === 'Pod')
    return {
      spec: o.spec as unknown as PodSpec,
      labels: o.metadata?.labels ?? {},
      replicas: 1,
      restart: restartOf(o.spec as unknown as PodSpec),
    };
  if (!['Deployment', 'StatefulSet', 'Job'].includes(o.kind ?? '') || !spec?.template?.spec) return undefined;
  const restart = o.kind === 'Job' ? restartOf(spec.template.spec) : 'always';
  return {
    spec: spec.template.spec,
    labels: spec.template.metadata?.labels ?? {},
    replicas: spec.replicas ?? 1,
    restart,
  };
}

function restartOf(spec: PodSpec): string {
  return spec.restartPolicy === 'Never' ? 'no' : spec.restartPolicy === 'OnFailure' ? 'on-failure' : 'always';
}

// A Service whose name is not its pod's service name is an alias on the pod's networks; a Service
// port that differs from its target port is published on the host's loopback, as generate maps it.
function applyService(
  s: Service,
  pods: readonly { name: string; labels: Record<string, string> }[],
  services: Record<string, Doc>,
): void {
  const sel = s.spec?.selector ?? {};
  const name = s.metadata?.name ?? '';
  for (const pod of pods) {
    if (!Object.entries(sel).every(([k, v]) => pod.labels[k] === v) || Object.keys(sel).length === 0) continue;
    const svc = services[pod.name]!;
    if (name !== pod.name) {
      const nets = svc['networks'] as string[] | Record<string, { aliases: string[] }>;
      const byNet = Array.isArray(nets) ? Object.fromEntries(nets.map((n) => [n, { aliases: [] as string[] }])) : nets;
      for (const n of Object.values(byNet)) n.aliases.push(name);
      svc['networks'] = byNet;
    }
    const ports = (s.spec?.ports ?? []).filter((p) => typeof p.targetPort === 'number' && p.port !== p.targetPort);
    if (ports.length)
      svc['ports'] = ports.map(
        (p) => `127.0.0.1:${p.port}:${String(p.targetPort)}/${(p.protocol ?? 'TCP').toLowerCase()}`,
      );
  }
}
