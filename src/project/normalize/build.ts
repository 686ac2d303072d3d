// `build`: a string is the context; a local context becomes absolute (a URL or git remote is
// kept); args are a map whose bare keys take the project's variables; dockerfile_inline, target,
// labels, tags and no_cache as written; network, extra_hosts, shm_size, secrets, cache_from/to,
// pull, platforms, privileged and ulimits as the service's keys of those names read them;
// additional_contexts as NAME → value, a local path made absolute (`service:NAME`,
// `docker-image://REF` and URLs kept). The rest (ssh) is reported by unsupported.ts.
import type { BuildConfig } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { isRemote } from '../paths.ts';
import { bytes } from './bytes.ts';
import { normalizeExtraHosts } from './extra-hosts.ts';
import { normalizeServiceFiles } from './service-files.ts';
import { normalizeUlimits } from './ulimits.ts';
import {
  absolutePath,
  asBool,
  asString,
  configError,
  defined,
  isDict,
  keyValues,
  stringList,
  type NormalizeContext,
} from './context.ts';
const labelMap = (m: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v ?? '']));

/** The keys that shape the RUN containers and the cache, as the service's own keys read them. */
/** A named context's value: a path is made absolute like the context; other forms are kept as written. */
function additionalContexts(ctx: NormalizeContext, path: KeyPath, v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(keyValues(ctx, path, v))) {
    if (value === null || value === '') throw configError(ctx, [...path, k], 'needs a value');
    const kept = value.startsWith('service:') || value.startsWith('target:') || isRemote(value);
    out[k] = kept ? value : absolutePath(ctx, value);
  }
  return out;
}

function runFields(ctx: NormalizeContext, path: KeyPath, b: Record<string, unknown>): Partial<BuildConfig> {
  const at = (k: string): KeyPath => [...path, k];
  const has = (k: string): boolean => b[k] !== undefined && b[k] !== null;
  return {
    ...(has('network') ? { network: asString(ctx, at('network'), b.network) } : {}),
    ...(has('extra_hosts') ? { extra_hosts: normalizeExtraHosts(ctx, at('extra_hosts'), b.extra_hosts) } : {}),
    ...(has('shm_size') ? { shm_size: bytes(ctx, at('shm_size'), b.shm_size) } : {}),
    ...(has('secrets') ? { secrets: normalizeServiceFiles(ctx, at('secrets'), b.secrets, 'secrets') } : {}),
    ...(has('cache_from') ? { cache_from: stringList(ctx, at('cache_from'), b.cache_from) } : {}),
    ...(has('cache_to') ? { cache_to: stringList(ctx, at('cache_to'), b.cache_to) } : {}),
    ...(has('pull') ? { pull: asBool(ctx, at('pull'), b.pull) } : {}),
    ...(has('platforms') ? { platforms: stringList(ctx, at('platforms'), b.platforms) } : {}),
    ...(has('privileged') ? { privileged: asBool(ctx, at('privileged'), b.privileged) } : {}),
    ...(has('ulimits') ? { ulimits: normalizeUlimits(ctx, at('ulimits'), b.ulimits) } : {}),
    ...(has('additional_contexts')
      ? { additional_contexts: additionalContexts(ctx, at('additional_contexts'), b.additional_contexts) }
      : {}),
  };
}

export function normalizeBuild(ctx: NormalizeContext, path: KeyPath, v: unknown): BuildConfig {
  const b = typeof v === 'string' ? { context: v } : v;
  if (!isDict(b)) throw configError(ctx, path, 'must be a context path or a mapping');
  const context = b.context === undefined ? '.' : asString(ctx, [...path, 'context'], b.context);
  let args: Record<string, string | null> | undefined;
  if (b.args !== undefined && b.args !== null) {
    args = {};
    for (const [k, value] of Object.entries(keyValues(ctx, [...path, 'args'], b.args)))
      args[k] = value ?? ctx.environment[k] ?? null;
  }
  return defined<BuildConfig>({
    context: isRemote(context) ? context : absolutePath(ctx, context),
    dockerfile: b.dockerfile === undefined ? undefined : asString(ctx, [...path, 'dockerfile'], b.dockerfile),
    args,
    dockerfile_inline:
      b.dockerfile_inline === undefined
        ? undefined
        : asString(ctx, [...path, 'dockerfile_inline'], b.dockerfile_inline),
    target: b.target === undefined ? undefined : asString(ctx, [...path, 'target'], b.target),
    labels:
      b.labels === undefined || b.labels === null ? undefined : labelMap(keyValues(ctx, [...path, 'labels'], b.labels)),
    tags: b.tags === undefined ? undefined : stringList(ctx, [...path, 'tags'], b.tags),
    no_cache: b.no_cache === undefined ? undefined : asBool(ctx, [...path, 'no_cache'], b.no_cache),
    ...runFields(ctx, path, b),
  });
}
