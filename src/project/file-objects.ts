// The bytes of a top-level secret or config, from its source: a file (read now), a variable of
// the project's environment, or inline content. External ones live in a Swarm or platform store
// a daemonless gantry does not have: refused, never mounted empty.
import { readFileSync } from 'node:fs';
import { ConfigError, UnsupportedError } from '../common/errors.ts';
import type { Project, ServiceConfig, ServiceFileRef } from './model.ts';
import { sha256 } from '../common/lazy-crypto.ts';

export type FileKind = 'secrets' | 'configs';

const singular = (kind: FileKind): string => (kind === 'secrets' ? 'secret' : 'config');

export function fileObjectContent(project: Project, kind: FileKind, key: string): Buffer {
  const obj = project[kind][key];
  const what = `${singular(kind)} ${key}`;
  if (!obj) throw new ConfigError(`${what} is not defined in the top-level ${kind}`);
  if (obj.external)
    throw new UnsupportedError(
      `${what}: external ${kind} are not supported by gantry (no secret store); use file, environment${kind === 'configs' ? ' or content' : ''}`,
    );
  if (obj.driver !== undefined && obj.file === undefined && obj.environment === undefined)
    throw new UnsupportedError(
      `${what}: driver "${obj.driver}" needs a Docker secret driver plugin; gantry has none (use file or environment)`,
    );
  if (obj.content !== undefined) return Buffer.from(obj.content);
  if (obj.environment !== undefined) {
    const v = project.environment[obj.environment];
    if (v === undefined) throw new ConfigError(`${what}: environment variable ${obj.environment} is not set`);
    return Buffer.from(v);
  }
  try {
    return readFileSync(obj.file ?? '');
  } catch (e) {
    throw new ConfigError(
      `${what}: cannot read ${obj.file ?? '(no file)'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** The service's secrets then configs, each with its kind. */
export function serviceFileRefs(
  svc: ServiceConfig,
): readonly { readonly kind: FileKind; readonly ref: ServiceFileRef }[] {
  return [
    ...(svc.secrets ?? []).map((ref) => ({ kind: 'secrets' as const, ref })),
    ...(svc.configs ?? []).map((ref) => ({ kind: 'configs' as const, ref })),
  ];
}

/**
 * A digest of the contents the service mounts, for its config hash: a changed secret must
 * recreate the container. A source that cannot be read hashes as such (up refuses it first).
 */
export function serviceFilesDigest(project: Project, svc: ServiceConfig): string | undefined {
  const refs = serviceFileRefs(svc);
  if (refs.length === 0) return undefined;
  const h = sha256();
  for (const { kind, ref } of refs) {
    let body: string;
    try {
      body = sha256()
        .update(fileObjectContent(project, kind, ref.source))
        .digest('hex');
    } catch (e) {
      body = `unreadable: ${(e as Error).message}`;
    }
    h.update(`${kind}/${ref.source}=${body}\n`);
  }
  return h.digest('hex');
}
