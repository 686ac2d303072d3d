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

// Explicit keys (`? k`), empty keys (`: v`) and collection keys (`[a]: v`, `{a: 1}: v`) are read
// differently by the two libraries, and a quoted "<<" is a key, not a merge; a file with anything
// like them goes to the precise reader.
const UNSURE = [
  /(?:^|[\s,[{])\?(?:\s|$)/, // explicit key
  /(?:^|\n)[ \t-]*:(?:\s|$)|[{,][ \t]*:(?:\s|$)/, // empty key
  /(?:^|\n)[ \t]*(?:-[ \t]+)*[[{][^\n]*[\]}][ \t]*:(?:[ \t]|$)/m, // block collection key
  /[{,][ \t]*[[{]/, // flow collection (perhaps a key) inside a flow collection
  /["']<<["']/,
  /\r(?!\n)/, // a lone CR: a line break to js-yaml, text to `yaml`
  /(?:^|\n)[ ]*\t/, // a tab in indentation: `yaml` refuses it wherever it stands
  /^\uFEFF/, // a byte-order mark: the two count the indentation after it differently
  /(?:^|[\s[{,])[&*][^\s[\]{},]+[[\]{},][^\s[\]{},]/, // an anchor or alias run into a flow indicator (`&${x}`)
];

// Quoted scalars and flow collections that run over several lines follow indentation rules the
// two read differently: a line with an odd number of quotes or unbalanced brackets (outside
// quotes and comments, roughly) sends the file to `yaml`.
// So does a line longer than the 1024 characters `yaml` allows an implicit key. A loop, not
// /[^\n]{1025}/: that regular expression tries up to a line's length at every offset, and V8 compiles
// its 1,025-fold repeat; 40–140 ms on bench/config-cold.mjs's 400-service file (160 kB) against 0.3 ms.
function hasLongLine(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    if ((end < 0 ? text.length : end) - start > 1024) return true;
    if (end < 0) return false;
    start = end + 1;
  }
  return false;
}

function multiLineFlow(text: string): boolean {
  for (const line of text.split('\n')) {
    const body = line.replace(/(?:^|\s)#.*$/, '');
    if ((body.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1) return true;
    if ((body.match(/'/g)?.length ?? 0) % 2 === 1) return true;
    const bare = body.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '');
    let depth = 0;
    for (const c of bare) depth += c === '[' || c === '{' ? 1 : c === ']' || c === '}' ? -1 : 0;
    if (depth !== 0) return true;
  }
  return false;
}

class NotSure extends Error {}
const RESET = Symbol('reset');

interface Walk {
  nodes: number;
  readonly clears: KeyPath[];
}

function convert(v: unknown, path: KeyPath, w: Walk): unknown {
  // load.ts counts each expanded alias and every node under it; this walk sees no alias nodes
  // (each stands for a value counted here, merge sources are counted apart), so its count N
  // bounds load.ts's by 2N: below half the limit, load.ts would not object.
  if (++w.nodes > MAX_ALIAS_NODES / 2 || path.length > MAX_NESTING) throw new NotSure();
  if (v instanceof Plain) return v.value;
  if (v instanceof Tagged) {
    w.clears.push(path);
    return v.tag === '!reset' ? RESET : convert(v.value, path, w);
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const c = convert(item, [...path, out.length], w);
      if (c !== RESET) out.push(c);
    }
    return out;
  }
  if (v !== null && typeof v === 'object') return convertMap(v as Record<string, unknown>, path, w);
  return v;
}

// As load.ts: keys written in the map win, then earlier merge sources win.
function convertMap(v: Record<string, unknown>, path: KeyPath, w: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [k, item] of Object.entries(v)) {
    if (k === '[object Object]' || k.startsWith(TYPED_KEY)) throw new NotSure();
    if (k === '<<') continue;
    seen.add(k);
    const c = convert(item, [...path, k], w);
    if (c !== RESET) out[k] = c;
  }
  if (!Object.hasOwn(v, '<<')) return out;
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
    for (const [k, item] of Object.entries(convertMap(source as Record<string, unknown>, path, w))) {
      if (seen.has(k)) continue;
      seen.add(k);
      out[k] = item;
    }
  }
  return out;
}

/** The file's layers as load.ts would read them (without positions), or undefined when unsure. */
export function parseComposeYamlFast(text: string, file: string): Layer[] | undefined {
  if (UNSURE.some((re) => re.test(text)) || hasLongLine(text) || multiLineFlow(text)) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: SCHEMA });
  } catch {
    return undefined; // the precise reader says what is wrong, and where
  }
  const layers: Layer[] = [];
  for (const doc of docs) {
    const w: Walk = { nodes: 0, clears: [] };
    let data: unknown;
    try {
      data = convert(doc, [], w);
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
