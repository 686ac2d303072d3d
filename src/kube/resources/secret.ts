// A top-level secret → a Secret holding its value (or nothing, with --secrets-as-refs: the
// pods then reference a Secret the operator creates).
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { FileObjectConfig, Project } from '../../project/model.ts';
import type { GenerateOptions } from '../options.ts';
import { commonLabels, kubeName, meta } from '../names.ts';
import { fileObjectContent } from './file-object.ts';
import { fileKey } from './volumes.ts';

export function secretFor(
  project: Project,
  key: string,
  obj: FileObjectConfig,
  opts: GenerateOptions,
): Secret | undefined {
  if (obj.external || opts.secretsAsRefs) return undefined;
  const value = fileObjectContent(project, `secrets.${key}`, obj);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(kubeName(key), commonLabels(project.name), opts.namespace),
    type: 'Opaque',
    data: { [fileKey(key)]: value.toString('base64') },
  };
}
