// --ingress HOST → one Ingress for the services that publish TCP ports: HOST itself when only one
// does, `<service>.HOST` for each when several do.
import type { Ingress, IngressRule } from 'kubernetes-types/networking/v1.js';
import type { Project, ServiceConfig } from '../../project/model.ts';
import type { GenerateOptions } from '../options.ts';
import { commonLabels, kubeName, meta } from '../names.ts';

export function ingressFor(
  project: Project,
  services: readonly ServiceConfig[],
  opts: GenerateOptions,
): Ingress | undefined {
  if (opts.ingressHost === undefined) return undefined;
  const host = opts.ingressHost;
  const published = services.filter((s) => s.ports.some((p) => p.protocol === 'tcp'));
  if (published.length === 0) return undefined;
  const rules: IngressRule[] = published.map((s) => {
    const port = s.ports.find((p) => p.protocol === 'tcp')!;
    return {
      host: published.length === 1 ? host : `${kubeName(s.name)}.${host}`,
      http: {
        paths: [
          {
            path: '/',
            pathType: 'Prefix',
            backend: { service: { name: kubeName(s.name), port: { number: port.target } } },
          },
        ],
      },
    };
  });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(kubeName(project.name), commonLabels(project.name), opts.namespace),
    spec: { rules },
  };
}
