// A stateless service → a Deployment.
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { selectorLabels } from '../names.ts';
import { podTemplateFor } from './pod-spec.ts';
import { longRunningRestart, workloadMeta } from './workload-meta.ts';

export function deploymentFor(project: Project, svc: ServiceConfig, opts: GenerateOptions, notes: Notes): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: workloadMeta(project, svc, opts),
    spec: {
      replicas: svc.deploy?.replicas ?? 1,
      selector: { matchLabels: selectorLabels(project.name, svc.name) },
      template: podTemplateFor(project, svc, longRunningRestart(svc, notes), opts, notes),
    },
  };
}
