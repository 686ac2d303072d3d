// Every object is checked before it is written against JSON schemas of the Kubernetes 1.30 API
// (schemas/kubernetes/, derived from kubernetes-types by scripts/make-kube-schemas.mjs): field
// names, types and required fields. An invalid object is a gantry bug, so it fails the export.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { InternalError } from '../common/errors.ts';
import { packagePath } from '../common/package-root.ts';
import type { KubeObject } from './objects.ts';

export const KUBERNETES_VERSION = '1.30';

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  const file = packagePath('schemas', 'kubernetes', `kubernetes-${KUBERNETES_VERSION}.schema.json`);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { kinds: Record<string, string>; definitions: object };
  const ajv = new Ajv({ allErrors: false, strict: false });
  ajv.addSchema({ $id: 'k8s', definitions: doc.definitions });
  return new Map(Object.entries(doc.kinds).map(([kind, ref]) => [kind, ajv.compile({ $ref: `k8s${ref}` })]));
}

export function validateObjects(objects: readonly KubeObject[]): void {
  validators ??= load();
  for (const o of objects) {
    const validate = validators.get(o.kind ?? '');
    const where = `${o.kind}/${o.metadata?.name}`;
    if (!validate) throw new InternalError(`kube generate: no schema for ${where}`);
    if (!validate(o)) {
      const e = validate.errors?.[0];
      const what = `${e?.instancePath || '/'} ${e?.message}`;
      throw new InternalError(`kube generate: ${where} is not valid Kubernetes ${KUBERNETES_VERSION}: ${what}`);
    }
  }
}
