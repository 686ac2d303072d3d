// The two packaged output forms: a kustomization listing one file per object, and a Helm chart
// whose values.yaml holds each workload's image and replicas.
import { stringify } from 'yaml';
import type { Project } from '../project/model.ts';
import type { KubeObject } from './objects.ts';
import { sortKeys } from './objects.ts';
import { kubeName } from './names.ts';
import { fileNameOf, renderFiles } from './render.ts';

export function kustomizeFiles(objects: readonly KubeObject[], namespace?: string): Map<string, string> {
  const files = renderFiles(objects, 'yaml');
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: objects.map((o) => fileNameOf(o, 'yaml')),
  };
  if (namespace !== undefined) k['namespace'] = namespace;
  files.set('kustomization.yaml', stringify(sortKeys(k), { lineWidth: 0, version: '1.1' }));
  return files;
}

const IMAGE = '__GANTRY_HELM_IMAGE__';
const REPLICAS = '__GANTRY_HELM_REPLICAS__';

export function helmFiles(project: Project, objects: readonly KubeObject[]): Map<string, string> {
  const values: Record<string, { image: string; replicas?: number }> = {};
  const files = new Map<string, string>();
  for (const o of objects) {
    let text: string;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'Job') {
      const name = o.metadata!.name!;
      const copy = structuredClone(o);
      const container = copy.spec!.template.spec!.containers[0]!;
      values[name] = { image: container.image! };
      container.image = `${IMAGE}${name}`;
      if (copy.kind !== 'Job' && copy.spec) {
        const spec = copy.spec as { replicas?: unknown };
        values[name].replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
        spec.replicas = `${REPLICAS}${name}`;
      }
      text = escapeTemplates(renderFiles([copy], 'yaml').values().next().value!);
      text = text
        .replace(
          new RegExp(`${IMAGE}([a-z0-9-]+)`, 'g'),
          (_m, n: string) => `{{ index .Values.services "${n}" "image" | quote }}`,
        )
        .replace(
          new RegExp(`${REPLICAS}([a-z0-9-]+)`, 'g'),
          (_m, n: string) => `{{ index .Values.services "${n}" "replicas" }}`,
        );
    } else text = escapeTemplates(renderFiles([o], 'yaml').values().next().value!);
    files.set(`templates/${fileNameOf(o, 'yaml')}`, text);
  }
  const chart = {
    apiVersion: 'v2',
    name: kubeName(project.name),
    description: `${project.name}, exported by gantry`,
    type: 'application',
    version: '0.1.0',
    appVersion: '1.0.0',
  };
  files.set('Chart.yaml', stringify(sortKeys(chart), { lineWidth: 0, version: '1.1' }));
  files.set('values.yaml', stringify(sortKeys({ services: values }), { lineWidth: 0, version: '1.1' }));
  return files;
}

// A `{{` in a command or a value must reach the pod as written, not be run by Helm's template engine.
function escapeTemplates(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => `{{ "${m}" }}`);
}
