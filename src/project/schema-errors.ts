// Picks, from ajv's full error list (allErrors), the one cause a person needs. A failed oneOf
// brings the errors of every branch; we descend into the branch whose type the value had, so
// `ports: [true]` says what a port may be rather than "must match exactly one schema".
import type { SchemaError } from './generated/compose-validator.js';
import type { KeyPath } from './raw.ts';
import { describe, orList, unknownKey } from './schema-words.ts';

export interface Cause {
  /** The key path the message is about. */
  readonly path: KeyPath;
  readonly detail: string;
  /** Where to take the position from, and whether from the key rather than the value. */
  readonly pointAt: KeyPath;
  readonly atKey: boolean;
  /** Set for a pure type mismatch: what would have been accepted. */
  readonly expected?: readonly string[];
}

interface ErrorNode {
  readonly error: SchemaError;
  /** For a failed oneOf: the errors of its branches, grouped the same way. */
  readonly children: readonly ErrorNode[];
}

/** The most specific cause among `errors` (as ajv returned them for `data`). */
export function mostSpecificCause(errors: readonly SchemaError[], data: unknown): Cause | undefined {
  const toPath = (pointer: string): KeyPath => keyPathOf(pointer, data);
  return deepest(group(errors, 0, errors.length).map((n) => explain(n, toPath)));
}

const within = (p: string, base: string): boolean => p === base || p.startsWith(`${base}/`);
const isAlternatives = (e: SchemaError): boolean => e.keyword === 'oneOf' || e.keyword === 'anyOf';

// ajv reports a oneOf's (or anyOf's) branch errors right before its own error, and (our schema
// puts no other keyword beside one) nothing else about that value comes between: so the run of
// errors just before it, at or below its instance path, is its branches'.
function group(errors: readonly SchemaError[], start: number, end: number): ErrorNode[] {
  const nodes: ErrorNode[] = [];
  let i = end - 1;
  while (i >= start) {
    const error = errors[i]!;
    if (!isAlternatives(error)) {
      nodes.unshift({ error, children: [] });
      i--;
      continue;
    }
    let j = i;
    while (j > start && within(errors[j - 1]!.instancePath, error.instancePath)) j--;
    nodes.unshift({ error, children: group(errors, j, i) });
    i = j - 1;
  }
  return nodes;
}

function explain(node: ErrorNode, toPath: (pointer: string) => KeyPath): Cause {
  const e = node.error;
  const path = toPath(e.instancePath);
  const at = (detail: string, pointAt: KeyPath = path, atKey = false): Cause => ({ path, detail, pointAt, atKey });
  const p = e.params;
  switch (e.keyword) {
    case 'oneOf':
    case 'anyOf':
      return explainOneOf(node, path, toPath);
    case 'type': {
      const expected = [describe(e.parentSchema)];
      return { ...at(`must be ${orList(expected)}`), expected };
    }
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return at(unknownKey(key, e.parentSchema), [...path, key], true);
    }
    case 'required':
      return at(`missing required property '${String(p.missingProperty)}'`);
    case 'enum':
      return at(`must be one of: ${(e.schema as unknown[]).map(String).join(', ')}`);
    case 'pattern':
      return at(
        typeof e.parentSchema.title === 'string'
          ? `must be ${e.parentSchema.title}`
          : `must match ${String(p.pattern)}`,
      );
    case 'minimum':
    case 'maximum':
      return at(`must be ${String(p.comparison)} ${String(p.limit)}`);
    case 'uniqueItems': {
      const [first, second] = [Number(p.j), Number(p.i)].sort((a, b) => a - b);
      return at(`must not contain the same item twice (items ${first} and ${second} are equal)`, [...path, second!]);
    }
    default:
      return at(`fails the schema's '${e.keyword}' rule`);
  }
}

function explainOneOf(node: ErrorNode, path: KeyPath, toPath: (pointer: string) => KeyPath): Cause {
  const here = node.error.instancePath;
  const causes = node.children.map((c) => explain(c, toPath));
  const typeMisses = causes.filter((c, i) => c.expected && node.children[i]!.error.instancePath === here);
  const others = causes.filter((c) => !typeMisses.includes(c));
  // A branch whose type the value had failed on something more specific: report that.
  const inner = deepest(others);
  if (inner) return inner;
  if (typeMisses.length === 0)
    return { path, detail: 'matches more than one of its allowed forms', pointAt: path, atKey: false };
  const expected = typeMisses.flatMap((c) => c.expected ?? []);
  return { path, detail: `must be ${orList(expected)}`, pointAt: path, atKey: false, expected };
}

// Deepest position in the document first; among equals, the first ajv found.
function deepest(causes: readonly Cause[]): Cause | undefined {
  let best: Cause | undefined;
  for (const c of causes) if (!best || c.pointAt.length > best.pointAt.length) best = c;
  return best;
}

/** A JSON pointer as a key path: indexes into lists become numbers, mapping keys stay strings. */
export function keyPathOf(pointer: string, data: unknown): KeyPath {
  const path: (string | number)[] = [];
  let cur = data;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(cur) ? Number(seg) : seg;
    path.push(key);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}
