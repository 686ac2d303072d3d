// Validates generated Kubernetes objects against the OpenAPI schemas shipped by kubernetes-models
// (Kubernetes 1.27): one class per kind; `.validate()` throws on a schema-invalid object.
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';

type Validator = (data: never) => { validate(): void };
const KINDS: Readonly<Record<string, Validator>> = {
  Deployment: (d) => new Deployment(d),
  StatefulSet: (d) => new StatefulSet(d),
  Job: (d) => new Job(d),
  ConfigMap: (d) => new ConfigMap(d),
  PersistentVolumeClaim: (d) => new PersistentVolumeClaim(d),
  Secret: (d) => new Secret(d),
  Service: (d) => new Service(d),
  Ingress: (d) => new Ingress(d),
  NetworkPolicy: (d) => new NetworkPolicy(d),
};

/** Throws naming the object when it does not validate, or when its kind is unknown. */
export function validateWithModels(o: { kind?: string; metadata?: { name?: string } }): void {
  const make = KINDS[o.kind ?? ''];
  if (!make) throw new Error(`no kubernetes-models class for kind ${o.kind}`);
  try {
    make(structuredClone(o) as never).validate();
  } catch (err) {
    throw new Error(`${o.kind}/${o.metadata?.name}: ${(err as Error).message}`, { cause: err });
  }
}
