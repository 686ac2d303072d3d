// The generated objects as one type, and the order they are written in: what others depend on
// first (storage, config, services), then workloads, so `kubectl apply -f` creates them in order.
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1.js';

export type KubeObject =
  Deployment | StatefulSet | Job | Service | PersistentVolumeClaim | ConfigMap | Secret | NetworkPolicy | Ingress;

export const KIND_ORDER = [
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'Secret',
  'ConfigMap',
  'Service',
  'Job',
  'StatefulSet',
  'Deployment',
  'Ingress',
] as const;

export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => KIND_ORDER.indexOf(o.kind as (typeof KIND_ORDER)[number]);
  return [...objects].sort((a, b) => rank(a) - rank(b) || a.metadata!.name!.localeCompare(b.metadata!.name!));
}

/** A copy with every mapping's keys sorted, so the same project always gives the same bytes. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
