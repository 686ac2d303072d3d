// Service `volumes`: short syntax `[SOURCE:]TARGET[:MODES]` and the long syntax, into
// ServiceVolumeConfig. A short source is a host path when it starts with `.`, `/` or `~`
// (made absolute), otherwise a named volume; short binds create a missing host path, as
// Compose's short syntax always did.
import { posix } from 'node:path';
import type { ServiceVolumeConfig, VolumeType } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import {
  absolutePath,
  asBool,
  asString,
  configError,
  defined,
  isDict,
  type Dict,
  type NormalizeContext,
} from './context.ts';
import { bytes } from './bytes.ts';

const TYPES = new Set<VolumeType>(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']);
const PROPAGATION = new Set(['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']);
const CONSISTENCY = new Set(['consistent', 'cached', 'delegated']);

export function normalizeVolumes(ctx: NormalizeContext, path: KeyPath, v: unknown): ServiceVolumeConfig[] {
  if (!Array.isArray(v)) throw configError(ctx, path, 'must be a list');
  return v.map((e, i) =>
    isDict(e) ? longVolume(ctx, [...path, i], e) : shortVolume(ctx, [...path, i], asString(ctx, [...path, i], e)),
  );
}

// Targets are cleaned as paths (`/data/` and `/data` are one mount point), as Compose does.
const cleanTarget = (t: string): string => posix.normalize(t).replace(/(.)\/+$/, '$1');

export const isHostPath = (s: string): boolean => s.startsWith('.') || s.startsWith('/') || s.startsWith('~');

function shortVolume(ctx: NormalizeContext, path: KeyPath, text: string): ServiceVolumeConfig {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p === ''))
    throw configError(ctx, path, `invalid volume "${text}" (SOURCE:TARGET[:MODE])`);
  if (parts.length === 1) return { type: 'volume', target: cleanTarget(parts[0]!) };
  const [source, rawTarget, modes = ''] = parts as [string, string, string?];
  const target = cleanTarget(rawTarget);
  const bind = isHostPath(source);
  let readOnly: boolean | undefined;
  let selinux: 'z' | 'Z' | undefined;
  let propagation: string | undefined;
  let nocopy: boolean | undefined;
  let consistency: string | undefined;
  for (const mode of modes === '' ? [] : modes.split(',')) {
    if (mode === 'ro' || mode === 'rw') readOnly = mode === 'ro';
    else if (mode === 'z' || mode === 'Z') selinux = mode;
    else if (PROPAGATION.has(mode) && bind) propagation = mode;
    else if (mode === 'nocopy' && !bind) nocopy = true;
    else if (CONSISTENCY.has(mode)) consistency = mode;
    else throw configError(ctx, path, `unknown volume mode "${mode}" in "${text}"`);
  }
  const common = defined<Pick<ServiceVolumeConfig, 'read_only' | 'consistency'>>({
    read_only: readOnly || undefined,
    consistency,
  });
  if (!bind) return { type: 'volume', source, target, ...common, ...(nocopy ? { volume: { nocopy } } : {}) };
  const bindOpts = defined<NonNullable<ServiceVolumeConfig['bind']>>({ propagation, create_host_path: true, selinux });
  return { type: 'bind', source: absolutePath(ctx, source), target, ...common, bind: bindOpts };
}

function longVolume(ctx: NormalizeContext, path: KeyPath, e: Dict): ServiceVolumeConfig {
  const type = asString(ctx, [...path, 'type'], e.type ?? 'volume') as VolumeType;
  if (!TYPES.has(type)) throw configError(ctx, [...path, 'type'], `unknown volume type "${type}"`);
  if (e.target === undefined) throw configError(ctx, path, 'missing target');
  const source = e.source === undefined || e.source === '' ? undefined : asString(ctx, [...path, 'source'], e.source);
  if (type === 'bind' && source === undefined) throw configError(ctx, path, 'a bind mount needs a source');
  const str = (d: Dict, k: string, p: KeyPath): string | undefined =>
    d[k] === undefined ? undefined : asString(ctx, [...p, k], d[k]);
  const bool = (d: Dict, k: string, p: KeyPath): boolean | undefined =>
    d[k] === undefined ? undefined : asBool(ctx, [...p, k], d[k]);
  const sub = (k: string): Dict | undefined => (isDict(e[k]) ? e[k] : undefined);
  const b = sub('bind');
  const vol = sub('volume');
  const tmp = sub('tmpfs');
  const img = sub('image');
  const selinux = b && str(b, 'selinux', [...path, 'bind']);
  if (selinux !== undefined && selinux !== 'z' && selinux !== 'Z')
    throw configError(ctx, [...path, 'bind', 'selinux'], 'must be z or Z');
  const bindOpts =
    b &&
    defined<NonNullable<ServiceVolumeConfig['bind']>>({
      propagation: str(b, 'propagation', [...path, 'bind']),
      create_host_path: bool(b, 'create_host_path', [...path, 'bind']),
      selinux,
    });
  return defined<ServiceVolumeConfig>({
    type,
    source: type === 'bind' && source !== undefined ? absolutePath(ctx, source) : source,
    target: cleanTarget(asString(ctx, [...path, 'target'], e.target)),
    read_only: bool(e, 'read_only', path),
    consistency: str(e, 'consistency', path),
    bind: bindOpts,
    volume:
      vol &&
      defined({ nocopy: bool(vol, 'nocopy', [...path, 'volume']), subpath: str(vol, 'subpath', [...path, 'volume']) }),
    tmpfs:
      tmp &&
      defined({
        size: tmp.size === undefined ? undefined : bytes(ctx, [...path, 'tmpfs', 'size'], tmp.size),
        mode: tmpfsMode(ctx, [...path, 'tmpfs', 'mode'], tmp.mode),
      }),
    image: img && defined({ subpath: str(img, 'subpath', [...path, 'image']) }),
  });
}

// A mode may be written as a number (YAML octal already read) or as octal text "1777".
function tmpfsMode(ctx: NormalizeContext, path: KeyPath, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^0?[0-7]+$/.test(v)) return parseInt(v, 8);
  throw configError(ctx, path, 'must be an octal file mode');
}
