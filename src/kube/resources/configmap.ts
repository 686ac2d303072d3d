// A top-level config → a ConfigMap (text as data, anything else as binaryData).
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { FileObjectConfig, Project } from '../../project/model.ts';
import type { GenerateOptions } from '../options.ts';
import { commonLabels, kubeName, meta } from '../names.ts';
import { fileObjectContent } from './file-object.ts';
import { fileKey } from './volumes.ts';

export function configMapFor(
  project: Project,
  key: string,
  obj: FileObjectConfig,
  opts: GenerateOptions,
): ConfigMap | undefined {
  if (obj.external) return undefined;
  const value = fileObjectContent(project, `configs.${key}`, obj);
  const text = value.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(value);
  const m = meta(kubeName(key), commonLabels(project.name), opts.namespace);
  return isText
    ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: m, data: { [fileKey(key)]: text } }
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata: m, binaryData: { [fileKey(key)]: value.toString('base64') } };
}
