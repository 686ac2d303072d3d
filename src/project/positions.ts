// Source positions of loaded values. Positions live in a side table keyed by the container object
// (map or sequence) and the entry's key or index, so they survive merges, extends and includes
// that build new containers: every stage that moves an entry moves its position with it.
import type { SourcePosition } from '../common/errors.ts';
import type { KeyPath, PositionLookup } from './raw.ts';

type Key = string | number;
type Table = WeakMap<object, Map<Key, SourcePosition>>;
// Where each entry's value was written (a scalar's own position, else its key's).
const table: Table = new WeakMap();
// Where a key was written, kept only when that differs from `table` (scalar values), so an
// "unknown key" error can point at the key rather than at its value.
const keyTable: Table = new WeakMap();

function put(t: Table, container: object, key: Key, pos: SourcePosition | undefined): void {
  if (!pos) return;
  let m = t.get(container);
  if (!m) {
    m = new Map();
    t.set(container, m);
  }
  m.set(key, pos);
}

export function setPos(container: object, key: Key, pos: SourcePosition | undefined): void {
  put(table, container, key, pos);
}

export function getPos(container: object, key: Key): SourcePosition | undefined {
  return table.get(container)?.get(key);
}

export function setKeyPos(container: object, key: Key, pos: SourcePosition | undefined): void {
  put(keyTable, container, key, pos);
}

/** Where the key of `container[key]` was written; the entry's position when none is recorded. */
export function getKeyPos(container: object, key: Key): SourcePosition | undefined {
  return keyTable.get(container)?.get(key) ?? getPos(container, key);
}

/** Copies the positions of `from[fromKey]` to `to[toKey]` (no-op when none is recorded). */
export function movePos(from: object, fromKey: Key, to: object, toKey: Key): void {
  setPos(to, toKey, getPos(from, fromKey));
  const keyPos = keyTable.get(from)?.get(fromKey);
  // A key position left from an earlier value (say a scalar replaced by a mapping) would be stale.
  if (keyPos) put(keyTable, to, toKey, keyPos);
  else keyTable.get(to)?.delete(toKey);
}

/**
 * A lookup over the final document: walks the key path and keeps the deepest recorded
 * position, so a path with no record of its own answers with its nearest ancestor.
 */
export function positionLookup(root: Readonly<Record<string, unknown>>, rootPos?: SourcePosition): PositionLookup {
  return (path: KeyPath) => {
    let best = rootPos;
    let cur: unknown = root;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') break;
      const p = getPos(cur, seg);
      if (p) best = p;
      cur = (cur as Record<Key, unknown>)[seg];
    }
    return best;
  };
}

/** Where the key at the end of each path was written (its entry's position when none is kept). */
export function keyPositionLookup(root: Readonly<Record<string, unknown>>): PositionLookup {
  return (path: KeyPath) => {
    const last = path[path.length - 1];
    if (last === undefined) return undefined;
    let parent: unknown = root;
    for (const seg of path.slice(0, -1))
      parent =
        parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[seg] : undefined;
    return parent !== null && typeof parent === 'object' ? getKeyPos(parent, last) : undefined;
  };
}
