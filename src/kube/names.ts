// Kubernetes names and the app.kubernetes.io/* labels every generated object carries.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** A DNS-1123 label from a Compose name (service, volume, network, secret): `my_db.1` → `my-db-1`. */
export function kubeName(name: string): string {
  const n = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (n || 'x').slice(0, 63).replace(/-+$/, '');
}

export const MANAGED_BY = 'gantry';

/** Labels that select the pods of one service. */
export function selectorLabels(project: string, service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': kubeName(service), 'app.kubernetes.io/part-of': kubeName(project) };
}

export function commonLabels(project: string, component?: string): Record<string, string> {
  const l: Record<string, string> = {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': kubeName(project),
  };
  if (component !== undefined) l['app.kubernetes.io/name'] = kubeName(component);
  return l;
}

export function meta(name: string, labels: Record<string, string>, namespace?: string): ObjectMeta {
  return namespace === undefined ? { name, labels } : { name, namespace, labels };
}

/** The label a pod carries for each Compose network it joins; NetworkPolicies select on it. */
export function networkLabel(network: string): string {
  return `network.gantry.dev/${kubeName(network)}`;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Compose labels split into what Kubernetes accepts as labels, and the rest (kept as annotations). */
export function splitLabels(labels: Readonly<Record<string, string>> | undefined): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const out = { labels: {} as Record<string, string>, annotations: {} as Record<string, string> };
  for (const [k, v] of Object.entries(labels ?? {})) {
    const ok = LABEL_KEY.test(k) && k.split('/').at(-1)!.length <= 63 && v.length <= 63 && LABEL_VALUE.test(v);
    (ok ? out.labels : out.annotations)[k] = v;
  }
  return out;
}
