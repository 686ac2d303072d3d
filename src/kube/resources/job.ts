// A service others wait on with service_completed_successfully → a Job that runs to completion.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions, Notes } from '../options.ts';
import { podTemplateFor } from './pod-spec.ts';
import { workloadMeta } from './workload-meta.ts';

export function jobFor(project: Project, svc: ServiceConfig, opts: GenerateOptions, notes: Notes): Job {
  const r = svc.restart ?? 'no';
  const onFailure = r.match(/^on-failure(?::(\d+))?$/);
  if (r === 'always' || r === 'unless-stopped') {
    notes.notCarried(`services.${svc.name}.restart`, `"${r}": a Job's pod restarts only on failure`);
  }
  const retries = onFailure?.[1] !== undefined ? Number(onFailure[1]) : r === 'no' ? 0 : 6;
  if ((svc.deploy?.replicas ?? 1) !== 1) {
    notes.notCarried(`services.${svc.name}.deploy.replicas`, 'a Job that others wait on runs once');
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: workloadMeta(project, svc, opts),
    spec: {
      backoffLimit: retries,
      template: podTemplateFor(project, svc, r === 'no' ? 'Never' : 'OnFailure', opts, notes),
    },
  };
}
