// What the three workload kinds share: metadata (deploy.labels + app.kubernetes.io/*), replicas,
// and the restart policy a long-running workload accepts.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { commonLabels, kubeName, splitLabels } from '../names.ts';

export function workloadMeta(project: Project, svc: ServiceConfig, opts: GenerateOptions): ObjectMeta {
  const split = splitLabels(svc.deploy?.labels);
  const labels = { ...split.labels, ...commonLabels(project.name, svc.name) };
  const m: ObjectMeta = { name: kubeName(svc.name), labels };
  if (opts.namespace !== undefined) m.namespace = opts.namespace;
  if (Object.keys(split.annotations).length) m.annotations = split.annotations;
  return m;
}

/** Deployments and StatefulSets restart always; Compose's other policies do not fit them. */
export function longRunningRestart(svc: ServiceConfig, notes: Notes): 'Always' {
  const r = svc.restart;
  if (r !== undefined && r !== 'always' && r !== 'unless-stopped') {
    notes.notCarried(`services.${svc.name}.restart`, `"${r}": a Deployment or StatefulSet always restarts its pods`);
  }
  return 'Always';
}
