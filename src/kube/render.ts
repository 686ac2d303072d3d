// Objects → text: multi-document YAML or a JSON `List`, keys sorted, one trailing newline.
import { stringify } from 'yaml';
import type { KubeObject } from './objects.ts';
import { sortKeys } from './objects.ts';

export type Format = 'yaml' | 'json';

export function renderObject(o: KubeObject, format: Format): string {
  return format === 'json'
    ? `${JSON.stringify(sortKeys(o), null, 2)}\n`
    : stringify(sortKeys(o), { lineWidth: 0, version: '1.1' });
}

export function renderAll(objects: readonly KubeObject[], format: Format): string {
  if (format === 'json')
    return `${JSON.stringify(sortKeys({ apiVersion: 'v1', kind: 'List', items: objects }), null, 2)}\n`;
  return objects.map((o) => stringify(sortKeys(o), { lineWidth: 0, version: '1.1' })).join('---\n');
}

/** The file one object is written to in a directory: `deployment-web.yaml`. */
export function fileNameOf(o: KubeObject, format: Format): string {
  return `${o.kind!.toLowerCase()}-${o.metadata!.name!}.${format}`;
}

/** One file per object, plus the directory listing order. */
export function renderFiles(objects: readonly KubeObject[], format: Format): Map<string, string> {
  return new Map(objects.map((o) => [fileNameOf(o, format), renderObject(o, format)]));
}
