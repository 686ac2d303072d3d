// Source positions of loaded values. Positions live in a side table keyed by the container object
// (map or sequence) and the entry's key or index, so they survive merges, extends and includes
// that build new containers: every stage that moves an entry moves its position with it.
import type { SourcePosition } from '../common/errors.ts';
import type { KeyPath, PositionLookup } from './raw.ts';

type Key = string | number;
const table = new WeakMap<object, Map<Key, SourcePosition>>();

export function setPos(container: object, key: Key, pos: SourcePosition | undefined): void {
  if (!pos) return;
  let m = table.get(container);
  if (!m) {
    m = new Map();
    table.set(container, m);
  }
  m.set(key, pos);
}

export function getPos(container: object, key: Key): SourcePosition | undefined {
  return table.get(container)?.get(key);
}

/** Copies the position of `from[fromKey]` to `to[toKey]` (no-op when none is recorded). */
export function movePos(from: object, fromKey: Key, to: object, toKey: Key): void {
  setPos(to, toKey, getPos(from, fromKey));
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
