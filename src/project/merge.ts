// Merges compose documents by the Compose rules (see merge-rules.ts for the table): mappings
// key by key, sequences appended, special attributes by their own rule. Never mutates its
// inputs; positions of the later file win for every value it sets.
import { ConfigError } from '../common/errors.ts';
import { formatKeyPath, type KeyPath } from './raw.ts';
import { getPos, movePos } from './positions.ts';
import { mergeRuleFor } from './merge-rules.ts';
import { buildMap, dependsOnMap, hostsMap, isDict, keyValueMap, namesMap, type Dict } from './merge-forms.ts';

/** Merges `over` onto `base` (both whole documents or both values at `path`). */
export function mergeDocs(base: Dict, over: Dict, path: KeyPath = []): Dict {
  return mergeMaps(base, over, path);
}

function mergeMaps(base: Dict, over: Dict, path: KeyPath): Dict {
  const out: Dict = {};
  for (const k of Object.keys(base)) {
    out[k] = base[k];
    movePos(base, k, out, k);
  }
  for (const k of Object.keys(over)) {
    const has = Object.hasOwn(base, k);
    out[k] = has && !k.startsWith('x-') ? mergeValue(base[k], over[k], [...path, k], { base, over, key: k }) : over[k];
    movePos(over, k, out, k);
  }
  return out;
}

interface Where {
  readonly base: object;
  readonly over: object;
  readonly key: string;
}

function mergeValue(base: unknown, over: unknown, path: KeyPath, at: Where): unknown {
  const rule = mergeRuleFor(path);
  if (rule === 'replace') return over;
  if (over === null || over === undefined) return base;
  switch (rule) {
    case 'mapping':
      return replaceKeys(keyValueMap(base), keyValueMap(over));
    case 'hosts':
      return replaceKeys(hostsMap(base), hostsMap(over));
    case 'depends_on':
      return mergeMaps(dependsOnMap(base), dependsOnMap(over), path);
    case 'service-networks':
      return mergeMaps(namesMap(base), namesMap(over), path);
    case 'build':
      return mergeMaps(buildMap(base, at.base, at.key), buildMap(over, at.over, at.key), path);
    case 'logging':
      return mergeLogging(base, over, path);
    case 'ipam-config':
      return mergeBySubnet(base, over, path);
    default:
      return mergeDefault(base, over, path, at);
  }
}

function mergeDefault(base: unknown, over: unknown, path: KeyPath, at: Where): unknown {
  if (isDict(base)) {
    if (!isDict(over)) throw cannotOverride(path, at, 'a mapping');
    return mergeMaps(base, over, path);
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(over)) throw cannotOverride(path, at, 'a sequence');
    return appendSeq(base, over);
  }
  return over;
}

function cannotOverride(path: KeyPath, at: Where, what: string): ConfigError {
  return new ConfigError(`cannot override ${what} with a value of another type`, {
    position: getPos(at.over, at.key),
    keyPath: formatKeyPath(path),
  });
}

function appendSeq(base: readonly unknown[], over: readonly unknown[]): unknown[] {
  const out = [...base, ...over];
  base.forEach((_, i) => movePos(base, i, out, i));
  over.forEach((_, i) => movePos(over, i, out, base.length + i));
  return out;
}

function replaceKeys(base: Dict, over: Dict): Dict {
  const out: Dict = {};
  for (const [src, keys] of [
    [base, Object.keys(base)],
    [over, Object.keys(over)],
  ] as const) {
    for (const k of keys) {
      out[k] = src[k];
      movePos(src, k, out, k);
    }
  }
  return out;
}

function mergeLogging(base: unknown, over: unknown, path: KeyPath): unknown {
  if (!isDict(base) || !isDict(over)) return over;
  const same = base.driver === undefined || over.driver === undefined || base.driver === over.driver;
  return same ? mergeMaps(base, over, path) : over;
}

function mergeBySubnet(base: unknown, over: unknown, path: KeyPath): unknown {
  if (!Array.isArray(base) || !Array.isArray(over)) return over;
  const out = [...base];
  base.forEach((_, i) => movePos(base, i, out, i));
  over.forEach((entry, j) => {
    const i = out.findIndex((e) => isDict(e) && isDict(entry) && e.subnet === entry.subnet);
    const at = i < 0 ? out.length : i;
    out[at] = i < 0 ? entry : mergeMaps(out[i] as Dict, entry as Dict, [...path, i]);
    movePos(over, j, out, at);
  });
  return out;
}

/** A copy of `root` without the value at `path` (for `!reset` / `!override` of a later file). */
export function withoutPath(root: Dict, path: KeyPath): Dict {
  const [head, ...rest] = path;
  if (typeof head !== 'string' || !Object.hasOwn(root, head)) return root;
  const out: Dict = {};
  for (const k of Object.keys(root)) {
    if (k === head && rest.length === 0) continue;
    out[k] = k === head && isDict(root[k]) ? withoutPath(root[k] as Dict, rest) : root[k];
    movePos(root, k, out, k);
  }
  return out;
}
