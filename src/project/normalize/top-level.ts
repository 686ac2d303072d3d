// Top-level `networks`, `volumes`, `secrets` and `configs`: each gets its real name —
// `<project>_<key>` unless it sets `name` or is external (then the key itself, as Compose) —
// and files become absolute. The `default` network exists whenever a service uses it.
import type { FileObjectConfig, IpamConfig, IpamPool, NetworkConfig, VolumeConfig } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import {
  absolutePath,
  asBool,
  asString,
  configError,
  defined,
  extensionsOf,
  isDict,
  stringMap,
  type Dict,
  type NormalizeContext,
} from './context.ts';
import { nameProblem } from '../../common/names.ts';

type Common = {
  name: string;
  external: boolean | undefined;
  labels: Record<string, string> | undefined;
  extensions: Dict | undefined;
};

function common(ctx: NormalizeContext, path: KeyPath, key: string, e: Dict, kind?: 'volume' | 'network'): Common {
  // Old files write `external: {name: x}`; it means external, named x.
  const legacy = isDict(e.external) ? e.external : undefined;
  const external = legacy
    ? true
    : e.external === undefined
      ? undefined
      : asBool(ctx, [...path, 'external'], e.external);
  if (external) externalConflicts(ctx, path, kind, e, legacy);
  const given = e.name ?? legacy?.name;
  const name =
    given !== undefined ? asString(ctx, [...path, 'name'], given) : external ? key : `${ctx.projectName}_${key}`;
  // Volume and network names become directory and file names: never `..` or `a/b`.
  const problem = kind === undefined ? undefined : nameProblem(kind, name);
  const at =
    e.name !== undefined ? [...path, 'name'] : legacy?.name !== undefined ? [...path, 'external', 'name'] : path;
  if (problem !== undefined) throw configError(ctx, at, problem);
  return {
    name,
    external: external || undefined,
    labels: e.labels === undefined ? undefined : stringMap(ctx, [...path, 'labels'], e.labels),
    extensions: extensionsOf(e),
  };
}

// As Compose: an external network or volume is only named, never configured; and the old
// `external.name` may not be given beside `name`.
function externalConflicts(
  ctx: NormalizeContext,
  path: KeyPath,
  kind: 'volume' | 'network' | undefined,
  e: Dict,
  legacy: Dict | undefined,
): void {
  const what = String(path[0]).replace(/s$/, ''); // network, volume, secret, config
  if (legacy?.name !== undefined && e.name !== undefined)
    throw configError(
      ctx,
      [...path, 'external', 'name'],
      `${what}.external.name and ${what}.name conflict; only use ${what}.name`,
    );
  if (kind === undefined) return; // secrets and configs: Compose checks only their sources
  const other = Object.keys(e).find((k) => k !== 'name' && k !== 'external' && !k.startsWith('x-'));
  if (other !== undefined)
    throw configError(ctx, [...path, other], `conflicting parameters "external" and "${other}" specified`);
}

function entries(ctx: NormalizeContext, path: KeyPath, v: unknown): [string, Dict][] {
  if (v === undefined || v === null) return [];
  if (!isDict(v)) throw configError(ctx, path, 'must be a mapping');
  return Object.entries(v).map(([k, e]) => {
    if (e !== null && e !== undefined && !isDict(e)) throw configError(ctx, [...path, k], 'must be a mapping or empty');
    return [k, e ?? {}];
  });
}

const optStr = (ctx: NormalizeContext, path: KeyPath, v: unknown): string | undefined =>
  v === undefined ? undefined : asString(ctx, path, v);
const optBool = (ctx: NormalizeContext, path: KeyPath, v: unknown): boolean | undefined =>
  v === undefined ? undefined : asBool(ctx, path, v);

export function normalizeNetworks(
  ctx: NormalizeContext,
  v: unknown,
  needDefault: boolean,
): Record<string, NetworkConfig> {
  const out: Record<string, NetworkConfig> = {};
  for (const [key, e] of entries(ctx, ['networks'], v)) {
    const p = ['networks', key];
    out[key] = defined<NetworkConfig>({
      ...common(ctx, p, key, e, 'network'),
      driver: optStr(ctx, [...p, 'driver'], e.driver),
      driver_opts: e.driver_opts === undefined ? undefined : stringMap(ctx, [...p, 'driver_opts'], e.driver_opts),
      ipam: isDict(e.ipam) ? ipam(ctx, [...p, 'ipam'], e.ipam) : undefined,
      internal: optBool(ctx, [...p, 'internal'], e.internal),
      attachable: optBool(ctx, [...p, 'attachable'], e.attachable),
      enable_ipv4: optBool(ctx, [...p, 'enable_ipv4'], e.enable_ipv4),
      enable_ipv6: optBool(ctx, [...p, 'enable_ipv6'], e.enable_ipv6),
    });
  }
  if (needDefault && !out.default) out.default = { name: `${ctx.projectName}_default` };
  return out;
}

function ipam(ctx: NormalizeContext, path: KeyPath, e: Dict): IpamConfig {
  const pools = Array.isArray(e.config) ? e.config : [];
  return defined<IpamConfig>({
    driver: optStr(ctx, [...path, 'driver'], e.driver),
    config:
      e.config === undefined ? undefined : pools.map((c, i) => pool(ctx, [...path, 'config', i], isDict(c) ? c : {})),
    options: e.options === undefined ? undefined : stringMap(ctx, [...path, 'options'], e.options),
  });
}

function pool(ctx: NormalizeContext, path: KeyPath, c: Dict): IpamPool {
  return defined<IpamPool>({
    subnet: optStr(ctx, [...path, 'subnet'], c.subnet),
    ip_range: optStr(ctx, [...path, 'ip_range'], c.ip_range),
    gateway: optStr(ctx, [...path, 'gateway'], c.gateway),
    aux_addresses:
      c.aux_addresses === undefined ? undefined : stringMap(ctx, [...path, 'aux_addresses'], c.aux_addresses),
  });
}

export function normalizeVolumeDefs(ctx: NormalizeContext, v: unknown): Record<string, VolumeConfig> {
  const out: Record<string, VolumeConfig> = {};
  for (const [key, e] of entries(ctx, ['volumes'], v)) {
    const p = ['volumes', key];
    out[key] = defined<VolumeConfig>({
      ...common(ctx, p, key, e, 'volume'),
      driver: optStr(ctx, [...p, 'driver'], e.driver),
      driver_opts: e.driver_opts === undefined ? undefined : stringMap(ctx, [...p, 'driver_opts'], e.driver_opts),
    });
  }
  return out;
}

export function normalizeFileObjects(
  ctx: NormalizeContext,
  kind: 'secrets' | 'configs',
  v: unknown,
): Record<string, FileObjectConfig> {
  const out: Record<string, FileObjectConfig> = {};
  for (const [key, e] of entries(ctx, [kind], v)) {
    const p = [kind, key];
    const obj = defined<FileObjectConfig>({
      ...common(ctx, p, key, e),
      file: e.file === undefined ? undefined : absolutePath(ctx, asString(ctx, [...p, 'file'], e.file)),
      environment: optStr(ctx, [...p, 'environment'], e.environment),
      content: kind === 'configs' ? optStr(ctx, [...p, 'content'], e.content) : undefined,
      driver: kind === 'secrets' ? optStr(ctx, [...p, 'driver'], e.driver) : undefined,
      driver_opts:
        kind === 'secrets' && e.driver_opts !== undefined
          ? stringMap(ctx, [...p, 'driver_opts'], e.driver_opts)
          : undefined,
    });
    const sources = ['file', 'environment', 'content', 'external'].filter(
      (k) => obj[k as keyof FileObjectConfig] !== undefined,
    );
    // As Compose: a driver brings the secret's value its own way, so it needs no source.
    if (sources.length > 1 || (sources.length === 0 && obj.driver === undefined))
      throw configError(
        ctx,
        p,
        `must set exactly one of file, environment${kind === 'configs' ? ', content' : ''} or external`,
      );
    out[key] = obj;
  }
  return out;
}
