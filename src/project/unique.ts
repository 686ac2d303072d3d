// Enforces the uniqueness of sequence entries after merging (compose-spec "unique resources"):
// a later entry with the same key replaces the earlier one in place. Keys per attribute are in
// merge-rules.ts (UNIQUE_RULES); how each key is computed is here.
import type { KeyPath } from './raw.ts';
import { indexerFor, type Indexer } from './merge-rules.ts';
import { movePos } from './positions.ts';
import { isDict, type Dict } from './merge-forms.ts';

/** Returns a copy of `doc` where every unique-keyed sequence holds each key once. */
export function enforceUnique(doc: Dict): Dict {
  return walk(doc, []) as Dict;
}

// Only mappings are descended: every rule path is made of mapping keys.
function walk(value: unknown, path: KeyPath): unknown {
  if (Array.isArray(value)) {
    const indexer = indexerFor(path);
    return indexer ? dedupe(value, indexer) : value;
  }
  if (!isDict(value) || path.length > 4) return value;
  let out: Dict | undefined;
  for (const k of Object.keys(value)) {
    const v = walk(value[k], [...path, k]);
    if (v === value[k]) continue;
    out ??= copy(value);
    out[k] = v;
  }
  return out ?? value;
}

function copy(d: Dict): Dict {
  const out: Dict = {};
  for (const k of Object.keys(d)) {
    out[k] = d[k];
    movePos(d, k, out, k);
  }
  return out;
}

function dedupe(seq: readonly unknown[], indexer: Indexer): unknown[] {
  const out: unknown[] = [];
  const seen = new Map<string, number>();
  seq.forEach((entry, i) => {
    const key = keyOf(entry, indexer);
    const at = key === undefined ? undefined : seen.get(key);
    const target = at ?? out.length;
    if (at === undefined && key !== undefined) seen.set(key, target);
    out[target] = entry;
    movePos(seq, i, out, target);
  });
  return out.length === seq.length ? (seq as unknown[]) : out;
}

function keyOf(entry: unknown, indexer: Indexer): string | undefined {
  switch (indexer) {
    case 'plain':
      return typeof entry === 'object' ? undefined : String(entry);
    case 'key-value':
      return typeof entry === 'string' ? entry.split('=')[0] : undefined;
    case 'volume':
      return isDict(entry) ? str(entry.target) : typeof entry === 'string' ? shortTarget(entry, 1) : undefined;
    case 'device':
      return isDict(entry) ? str(entry.target) : typeof entry === 'string' ? shortTarget(entry, 1) : undefined;
    case 'port':
      return portKey(entry);
    case 'secret':
      return mountKey(entry, '/run/secrets/');
    case 'config':
      return mountKey(entry, '/');
    case 'env-file':
      return isDict(entry) ? str(entry.path) : String(entry);
  }
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** `src:dst[:mode]` → dst; a single part is the target itself (anonymous volume). */
function shortTarget(s: string, index: number): string {
  const parts = s.split(':');
  return parts.length > index ? parts[index]! : parts[0]!;
}

function mountKey(entry: unknown, dir: string): string | undefined {
  if (typeof entry === 'string') return dir + entry;
  if (!isDict(entry)) return undefined;
  const target = str(entry.target);
  if (target !== undefined) return target.startsWith('/') ? target : dir + target;
  return dir + String(entry.source);
}

// Short and long port syntax reduce to one key, host_ip:published:target/protocol.
function portKey(entry: unknown): string | undefined {
  if (typeof entry === 'number') return `0.0.0.0::${entry}/tcp`;
  if (isDict(entry)) {
    const ip = str(entry.host_ip) ?? '0.0.0.0';
    return `${ip}:${str(entry.published) ?? ''}:${str(entry.target)}/${str(entry.protocol) ?? 'tcp'}`;
  }
  if (typeof entry !== 'string') return undefined;
  const slash = entry.lastIndexOf('/');
  const proto = slash >= 0 ? entry.slice(slash + 1) : 'tcp';
  let rest = slash >= 0 ? entry.slice(0, slash) : entry;
  let ip = '';
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (bracket) [ip, rest] = [bracket[1]!, bracket[2]!];
  const parts = rest.split(':');
  const target = parts.pop()!;
  const published = parts.pop() ?? '';
  if (!bracket) ip = parts.join(':');
  return `${ip || '0.0.0.0'}:${published}:${target}/${proto}`;
}
