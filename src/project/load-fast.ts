// The fast first reading of a compose file: js-yaml, which parses ≈ 6× faster than `yaml`'s
// composer here (20 services: 14 against 90 ms cold; 400: 56 against 340 ms), but keeps no source
// positions. Positions matter only to error messages, so load-raw.ts reads every file this way
// first, and reads again with load.ts (yaml, positions) when anything fails or a position is
// asked for. The two must agree on every document both accept: the schema below is YAML 1.2
// core exactly as `yaml` resolves it plus Compose's legacy octal, and anything this reader cannot
// vouch for (explicit or empty keys, collection keys, deep nesting, huge alias expansions, a
// non-mapping document) returns undefined, which sends the file to the precise reader.
// test/unit/project/load-fast.test.ts compares the two readers on the corpus and on mutants.
import jsyaml from 'js-yaml';
import type { KeyPath } from './raw.ts';
import type { Layer } from './layer.ts';
import { MAX_ALIAS_NODES } from './layer.ts';
import { MAX_NESTING } from './yaml-depth.ts';
import { fastReaderDeclines } from './load-fast-declines.ts';

const TYPED_KEY = '\u0000typed-key:';

/** A resolved non-string scalar that remembers how it was written. */
class Plain {
  constructor(
    readonly value: unknown,
    readonly source: string,
  ) {}
  // Only mapping keys are turned into text: a typed key (`1:`, `true:`) is marked, and sent to
  // the precise reader, which refuses it as Compose does.
  toString(): string {
    return `${TYPED_KEY}${this.source}`;
  }
  // js-yaml turns any '[object Object]' key into that text; a tag of our own keeps String().
  get [Symbol.toStringTag](): string {
    return 'Plain';
  }
}

/** A value tagged !reset or !override. */
class Tagged {
  constructor(
    readonly tag: '!reset' | '!override',
    readonly value: unknown,
  ) {}
}

/** js-yaml keeps one implicit type per tag: each tag's forms are tried in `yaml`'s order. */
const scalar = (tag: string, forms: readonly (readonly [RegExp, (s: string) => unknown])[]) =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && forms.some(([re]) => re.test(s)),
    construct: (s: string) => new Plain(forms.find(([re]) => re.test(s))![1](s), s),
  });

// `yaml`'s core schema (its tests: null, bool, int, float), in its order, with the octal of
// go-yaml first (`0440` → 288) as load.ts does.
const types = [
  scalar('null', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
  scalar('bool', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T']]),
  scalar('int', [
    [/^0[0-7]+$/, (s) => parseInt(s, 8)],
    [/^0o[0-7]+$/, (s) => parseInt(s.slice(2), 8)],
    [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
    [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.slice(2), 16)],
  ]),
  scalar('float', [
    [
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity),
    ],
    [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
    [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
  ]),
];
const tagged = (['!reset', '!override'] as const).flatMap((tag) =>
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new jsyaml.Type(tag, { kind, construct: (data: unknown) => new Tagged(tag, data) }),
  ),
);
// No merge type: js-yaml would insert merged keys where `<<` stands, while load.ts (as `yaml`
// does) puts them after the keys written in the map. `<<` stays an ordinary key here and
// convert() merges the way load.ts does.
const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: types, explicit: tagged });

class NotSure extends Error {}
const RESET = Symbol('reset');

interface Walk {
  nodes: number;
  readonly clears: KeyPath[];
  // The key path of the value being converted, one stack for the whole walk: copied only for a
  // !reset/!override tag, not for every node (a 400-service file has ~20,000 of them).
  readonly path: (string | number)[];
}

function convert(v: unknown, w: Walk): unknown {
  // load.ts counts each expanded alias and every node under it; this walk sees no alias nodes
  // (each stands for a value counted here, merge sources are counted apart), so its count N
  // bounds load.ts's by 2N: below half the limit, load.ts would not object.
  if (++w.nodes > MAX_ALIAS_NODES / 2 || w.path.length > MAX_NESTING) throw new NotSure();
  if (v instanceof Plain) return v.value;
  if (v instanceof Tagged) {
    w.clears.push([...w.path]);
    return v.tag === '!reset' ? RESET : convert(v.value, w);
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      w.path.push(out.length);
      const c = convert(item, w);
      w.path.pop();
      if (c !== RESET) out.push(c);
    }
    return out;
  }
  if (v !== null && typeof v === 'object') return convertMap(v as Record<string, unknown>, w);
  return v;
}

// As load.ts: keys written in the map win, then earlier merge sources win.
function convertMap(v: Record<string, unknown>, w: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(v);
  for (const k of keys) {
    if (k === '[object Object]' || k.startsWith(TYPED_KEY)) throw new NotSure();
    if (k === '<<') continue;
    w.path.push(k);
    const c = convert(v[k], w);
    w.path.pop();
    if (c !== RESET) out[k] = c;
  }
  if (!Object.hasOwn(v, '<<')) return out;
  const seen = new Set(keys); // a key written here (even as !reset) is not taken from a merge source
  const merge = v['<<'];
  for (const source of Array.isArray(merge) ? merge : [merge]) {
    if (
      source === null ||
      typeof source !== 'object' ||
      Array.isArray(source) ||
      source instanceof Plain ||
      source instanceof Tagged
    )
      throw new NotSure();
    // load.ts counts a merge source's alias and its map, which convertMap below does not visit as values.
    if ((w.nodes += 2) > MAX_ALIAS_NODES / 2) throw new NotSure();
    for (const [k, item] of Object.entries(convertMap(source as Record<string, unknown>, w))) {
      if (seen.has(k)) continue;
      seen.add(k);
      out[k] = item;
    }
  }
  return out;
}

/** The file's layers as load.ts would read them (without positions), or undefined when unsure. */
export function parseComposeYamlFast(text: string, file: string): Layer[] | undefined {
  if (fastReaderDeclines(text)) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: SCHEMA });
  } catch {
    return undefined; // the precise reader says what is wrong, and where
  }
  const layers: Layer[] = [];
  for (const doc of docs) {
    const w: Walk = { nodes: 0, clears: [], path: [] };
    let data: unknown;
    try {
      data = convert(doc, w);
    } catch (e) {
      if (e instanceof NotSure || e instanceof RangeError) return undefined;
      throw e;
    }
    if (data === null || data === undefined || data === RESET) continue;
    if (typeof data !== 'object' || Array.isArray(data)) return undefined;
    layers.push({ file, data: data as Record<string, unknown>, clears: w.clears, start: { file, line: 1, col: 1 } });
  }
  return layers;
}
