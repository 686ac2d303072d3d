// The service attributes that need no more than a type: strings, booleans, lists and maps,
// as one table. `normalizeScalars` reads every key of the table that the service sets.
import type { KeyPath } from '../raw.ts';
import { asBool, asInt, asString, stringList, stringMap, type Dict, type NormalizeContext } from './context.ts';
import { bytes } from './bytes.ts';
import { duration } from './durations.ts';

type Kind = 'string' | 'bool' | 'list' | 'map' | 'int' | 'bytes' | 'swap' | 'duration';

export const SCALAR_KEYS: Readonly<Record<string, Kind>> = {
  container_name: 'string',
  hostname: 'string',
  domainname: 'string',
  user: 'string',
  working_dir: 'string',
  restart: 'string',
  stop_signal: 'string',
  pid: 'string',
  ipc: 'string',
  pull_policy: 'string',
  platform: 'string',
  cpuset: 'string',
  mac_address: 'string',
  tty: 'bool',
  stdin_open: 'bool',
  init: 'bool',
  read_only: 'bool',
  privileged: 'bool',
  attach: 'bool',
  cap_add: 'list',
  cap_drop: 'list',
  group_add: 'list',
  dns: 'list',
  dns_search: 'list',
  dns_opt: 'list',
  tmpfs: 'list',
  expose: 'list',
  links: 'list',
  volumes_from: 'list',
  profiles: 'list',
  labels: 'map',
  annotations: 'map',
  sysctls: 'map',
  storage_opt: 'map',
  cpu_shares: 'int',
  oom_score_adj: 'int',
  shm_size: 'bytes',
  memswap_limit: 'swap',
  stop_grace_period: 'duration',
};

export function normalizeScalars(ctx: NormalizeContext, path: KeyPath, svc: Dict): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(SCALAR_KEYS)) {
    const v = svc[key];
    if (v === undefined || v === null) continue;
    out[key] = read(ctx, [...path, key], v, kind);
  }
  return out;
}

function read(ctx: NormalizeContext, path: KeyPath, v: unknown, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return asString(ctx, path, v);
    case 'bool':
      return asBool(ctx, path, v);
    case 'list':
      return stringList(ctx, path, v);
    case 'map':
      return stringMap(ctx, path, v);
    case 'int':
      return asInt(ctx, path, v);
    case 'bytes':
      return bytes(ctx, path, v);
    case 'swap':
      return bytes(ctx, path, v, true);
    case 'duration':
      return duration(ctx, path, v);
  }
}
