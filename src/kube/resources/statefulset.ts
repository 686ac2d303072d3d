// A service that alone uses a named volume → a StatefulSet: a stable identity next to its data.
// The volume stays a separate PVC (not a claim template) so every replica shares it, as in Compose.
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { kubeName, selectorLabels } from '../names.ts';
import { podTemplateFor } from './pod-spec.ts';
import { longRunningRestart, workloadMeta } from './workload-meta.ts';

export function statefulSetFor(project: Project, svc: ServiceConfig, opts: GenerateOptions, notes: Notes): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: workloadMeta(project, svc, opts),
    spec: {
      replicas: svc.deploy?.replicas ?? 1,
      serviceName: kubeName(svc.name),
      selector: { matchLabels: selectorLabels(project.name, svc.name) },
      template: podTemplateFor(project, svc, longRunningRestart(svc, notes), opts, notes),
    },
  };
}
