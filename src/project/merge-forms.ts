// Converts the alternative short forms Compose allows (lists of `K=V`, `host:ip`, service names,
// a build context string) into mappings, so that two files can be merged key by key. Positions
// move with the entries.
import { movePos } from './positions.ts';

export type Dict = Record<string, unknown>;
export const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `["A=1", "B"]` → `{A: "1", B: null}`; a mapping is returned as is. */
export function keyValueMap(v: unknown, sep: (s: string) => number = (s) => s.indexOf('=')): Dict {
  if (!Array.isArray(v)) return isDict(v) ? v : {};
  const out: Dict = {};
  v.forEach((entry, i) => {
    const s = String(entry);
    const at = sep(s);
    const key = at < 0 ? s : s.slice(0, at);
    out[key] = at < 0 ? null : s.slice(at + 1);
    movePos(v, i, out, key);
  });
  return out;
}

/** extra_hosts accepts `host=ip` and the older `host:ip`. */
export const hostsMap = (v: unknown): Dict =>
  keyValueMap(v, (s) => {
    const eq = s.indexOf('=');
    return eq >= 0 ? eq : s.indexOf(':');
  });

/** `[db, cache]` → `{db: {condition: service_started, required: true}, …}`. */
export function dependsOnMap(v: unknown): Dict {
  if (!Array.isArray(v)) return isDict(v) ? v : {};
  const out: Dict = {};
  v.forEach((name, i) => {
    out[String(name)] = { condition: 'service_started', required: true };
    movePos(v, i, out, String(name));
  });
  return out;
}

/** `[front, back]` → `{front: null, back: null}`. */
export function namesMap(v: unknown): Dict {
  if (!Array.isArray(v)) return isDict(v) ? v : {};
  const out: Dict = {};
  v.forEach((name, i) => {
    out[String(name)] = null;
    movePos(v, i, out, String(name));
  });
  return out;
}

/** `build: ./dir` → `{context: ./dir}`. */
export function buildMap(v: unknown, holder?: object, key?: string | number): Dict {
  if (isDict(v)) return v;
  const out: Dict = { context: v };
  if (holder && key !== undefined) movePos(holder, key, out, 'context');
  return out;
}

/** A deep copy of plain data that keeps every recorded position. */
export function cloneData<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map((e) => cloneData(e) as unknown);
    v.forEach((_, i) => movePos(v, i, out, i));
    return out as T;
  }
  if (!isDict(v)) return v;
  const out: Dict = {};
  for (const k of Object.keys(v)) {
    out[k] = cloneData(v[k]);
    movePos(v, k, out, k);
  }
  return out as T;
}
