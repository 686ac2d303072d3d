// A stable per-service hash of the normalized config, to decide later whether a container must
// be recreated. Canonical JSON (keys sorted) → sha256 hex. Left out, because changing them
// never needs a new container: deploy.replicas (scaling adds/removes containers), profiles,
// depends_on (start order only), pull_policy, build (a rebuilt image changes `image`'s digest,
// which the engine compares itself), attach (log attachment of the CLI), develop (watch's rules),
// refs and container_names (derived from fields that are hashed, replicas aside). Given the
// project, the contents of the service's secrets and configs count too (not just their names).
import { sha256 } from '../common/lazy-crypto.ts';
import type { Project, ServiceConfig } from './model.ts';
import { serviceFilesDigest } from './file-objects.ts';

export function serviceHash(svc: ServiceConfig, project?: Project): string {
  const {
    profiles: _p,
    depends_on: _d,
    pull_policy: _pp,
    build: _b,
    attach: _a,
    develop: _dv,
    refs: _r,
    container_names: _cn,
    deploy,
    ...rest
  } = svc;
  const kept: Record<string, unknown> = { ...rest };
  if (deploy) {
    const { replicas: _r, ...d } = deploy;
    if (Object.keys(d).length) kept.deploy = d;
  }
  const files = project ? serviceFilesDigest(project, svc) : undefined;
  if (files) kept['x-gantry-files'] = files;
  return sha256().update(canonicalJson(kept)).digest('hex');
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
