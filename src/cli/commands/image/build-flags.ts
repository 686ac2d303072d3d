// `image build` flags that become parts of a BuildRequest: `--secret id=ID,src=FILE|env=VAR`
// (Docker's forms: `type=file|env`, `source`, and a bare `id=ID` reading the env var ID or
// nothing), `--allow network.host` (the entitlement RUN --network=host needs; security.insecure is
// refused), `--network default|none|host`, `--build-context NAME=VALUE`, and `-f -` (the
// Dockerfile read from stdin).
import { readFileSync } from 'node:fs';
import { UsageError } from '../../../common/errors.ts';
import type { BuildSecret } from '../../../engine/index.ts';

export function parseSecret(spec: string): BuildSecret {
  const f = new Map<string, string>();
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new UsageError(`--secret ${spec}: use id=ID,src=FILE or id=ID,env=VAR`);
    f.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1));
  }
  for (const k of f.keys()) {
    if (!['id', 'src', 'source', 'env', 'type'].includes(k))
      throw new UsageError(`--secret ${spec}: unexpected key ${k}`);
  }
  const type = f.get('type');
  if (type !== undefined && type !== 'file' && type !== 'env')
    throw new UsageError(`--secret ${spec}: type is file or env`);
  const src = f.get('src') ?? f.get('source');
  const id = f.get('id') ?? src?.split('/').pop();
  if (!id) throw new UsageError(`--secret ${spec}: an id is needed`);
  if (type === 'env' || f.has('env')) return { id, env: f.get('env') ?? src ?? id };
  if (src !== undefined) return { id, file: src };
  return { id, env: id };
}

export function parseAllow(list: readonly string[]): boolean {
  let host = false;
  for (const a of list.flatMap((x) => x.split(','))) {
    if (a === 'network.host') host = true;
    else if (a === 'security.insecure')
      throw new UsageError('--allow security.insecure: insecure builds are not supported');
    else throw new UsageError(`--allow ${a}: use network.host`);
  }
  return host;
}

export function parseBuildNetwork(mode: string | undefined): 'default' | 'none' | 'host' | undefined {
  if (mode === undefined) return undefined;
  if (mode === 'default' || mode === 'none' || mode === 'host') return mode;
  if (mode === 'bridge') return 'default';
  throw new UsageError(`--network ${mode}: a build runs on default, none or host`);
}

/** `-f -`: the Dockerfile comes from stdin. */
export function dockerfileFromStdin(file: string | undefined): string | undefined {
  return file === '-' ? readFileSync(0, 'utf8') : undefined;
}

/** `--build-context NAME=VALUE` → NAME → VALUE (a directory, relative to here, or docker-image://REF). */
export function namedContexts(list: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0 || i === kv.length - 1)
      throw new UsageError(`--build-context ${kv}: use NAME=DIR or NAME=docker-image://REF`);
    out.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return out;
}
