// The export: a normalized project → Kubernetes objects (plain data) and the list of fields that
// were not carried. Pure apart from reading secret/config files; no cluster is contacted.
import type { Project, ServiceConfig } from '../project/model.ts';
import { UsageError } from '../common/errors.ts';
import { Notes, type GenerateOptions } from './options.ts';
import type { KubeObject } from './objects.ts';
import { sortObjects } from './objects.ts';
import { deploymentFor } from './resources/deployment.ts';
import { statefulSetFor } from './resources/statefulset.ts';
import { jobFor } from './resources/job.ts';
import { servicesFor } from './resources/service.ts';
import { pvcFor } from './resources/pvc.ts';
import { secretFor } from './resources/secret.ts';
import { configMapFor } from './resources/configmap.ts';
import { networkPolicyFor, publishedPolicyFor } from './resources/network-policy.ts';
import { ingressFor } from './resources/ingress.ts';

export interface Generated {
  readonly objects: readonly KubeObject[];
  /** `services.X.field: not carried: why`, one per field. */
  readonly warnings: readonly string[];
}

export function generate(project: Project, opts: GenerateOptions = {}): Generated {
  const notes = new Notes();
  const selected = selectServices(project, opts.services ?? []);
  for (const u of project.unsupported) notes.notCarried(u.path, 'gantry does not implement this field');
  const users = volumeUsers(selected);
  const objects: KubeObject[] = [];
  for (const svc of selected) {
    objects.push(workloadFor(project, svc, users, opts, notes));
    objects.push(...servicesFor(project, svc, opts, notes));
    const pub = publishedPolicyFor(project, svc, opts);
    if (pub) objects.push(pub);
  }
  for (const [key, n] of users) {
    const vol = project.volumes[key];
    if (vol && !vol.external) objects.push(pvcFor(project, key, vol, n, opts, notes));
  }
  for (const key of usedKeys(selected, 'secrets')) {
    const s = project.secrets[key] && secretFor(project, key, project.secrets[key], opts);
    if (s) objects.push(s);
  }
  for (const key of usedKeys(selected, 'configs')) {
    const c = project.configs[key] && configMapFor(project, key, project.configs[key], opts);
    if (c) objects.push(c);
  }
  const nets = new Set(selected.flatMap((s) => Object.keys(s.networks ?? {})));
  for (const key of [...nets].sort())
    if (project.networks[key]) objects.push(networkPolicyFor(project, key, opts, notes));
  const ing = ingressFor(project, selected, opts);
  if (ing) objects.push(ing);
  return { objects: sortObjects(objects), warnings: notes.lines };
}

function selectServices(project: Project, names: readonly string[]): ServiceConfig[] {
  for (const n of names) if (!project.services[n]) throw new UsageError(`no such service: ${n}`);
  const keys = names.length ? [...new Set(names)] : Object.keys(project.services);
  return keys.sort().map((k) => project.services[k]!);
}

/** Named volume → how many selected services mount it. */
function volumeUsers(services: readonly ServiceConfig[]): Map<string, number> {
  const users = new Map<string, number>();
  for (const s of services) {
    const mine = new Set(s.volumes.filter((v) => v.type === 'volume' && v.source !== undefined).map((v) => v.source!));
    for (const v of mine) users.set(v, (users.get(v) ?? 0) + 1);
  }
  return new Map([...users].sort(([a], [b]) => a.localeCompare(b)));
}

function workloadFor(
  project: Project,
  svc: ServiceConfig,
  users: Map<string, number>,
  opts: GenerateOptions,
  notes: Notes,
): KubeObject {
  const awaited = Object.values(project.services).some(
    (o) => o.depends_on[svc.name]?.condition === 'service_completed_successfully',
  );
  if (awaited) return jobFor(project, svc, opts, notes);
  const owns = svc.volumes.some(
    (v) =>
      v.type === 'volume' &&
      v.source !== undefined &&
      users.get(v.source) === 1 &&
      !project.volumes[v.source]?.external,
  );
  return owns ? statefulSetFor(project, svc, opts, notes) : deploymentFor(project, svc, opts, notes);
}

function usedKeys(services: readonly ServiceConfig[], kind: 'secrets' | 'configs'): string[] {
  return [...new Set(services.flatMap((s) => (s[kind] ?? []).map((r) => r.source)))].sort();
}
