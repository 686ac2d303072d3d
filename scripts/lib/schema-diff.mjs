// Structural differences between two JSON schemas (draft-07, `#/definitions/` refs): both walked
// from the root with $refs resolved and annotations ignored; every keyword that constrains a
// value must be the same. Shared by scripts/refresh-compose-schema.mjs and the schema tests, so
// the pin the script records is checked with the very comparison that made it.

const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'deprecated',
  '$schema',
  '$id',
  '$comment',
  'definitions',
]);
const SCALAR_KEYWORDS = ['enum', 'pattern', 'minimum', 'maximum', 'uniqueItems', 'required'];
const STRUCTURAL = [
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'oneOf',
  'anyOf',
  '$ref',
];
const KNOWN = new Set([...ANNOTATIONS, ...SCALAR_KEYWORDS, ...STRUCTURAL]);

function resolve(root, s) {
  let cur = s;
  for (let hops = 0; typeof cur.$ref === 'string'; hops++) {
    if (hops > 10) throw new Error(`$ref loop at ${cur.$ref}`);
    cur = root.definitions[cur.$ref.replace('#/definitions/', '')];
  }
  return withoutNoOps(cur);
}

// Keywords that cannot affect the result: `uniqueItems: false` (the default), and mapping
// keywords on a schema whose type excludes mappings (upstream's gpus list carries
// additionalProperties, which applies to no list).
function withoutNoOps(s) {
  const out = { ...s };
  if (out.uniqueItems === false) delete out.uniqueItems;
  const types = s.type === undefined ? undefined : [s.type].flat();
  if (types && !types.includes('object'))
    for (const k of ['properties', 'patternProperties', 'additionalProperties', 'required']) delete out[k];
  if (types && !types.includes('array')) delete out.items;
  return out;
}

const typesOf = (s) => (s.type === undefined ? '' : [s.type].flat().map(String).sort().join(','));
const keysOf = (o) =>
  Object.keys(o ?? {})
    .sort()
    .join(',');
const norm = (k, v) => JSON.stringify(k === 'required' && Array.isArray(v) ? [...v].sort() : v);

/** Each difference as one line: `PATH: what (left) vs what (right)`. */
export function schemaDiff(left, right) {
  const diffs = [];
  const seen = new Set();
  const compare = (a0, b0, at) => {
    const a = resolve(left, a0);
    const b = resolve(right, b0);
    if (seen.has(at) || at.split('/').length > 40) return;
    seen.add(at);
    for (const k of [...Object.keys(a), ...Object.keys(b)])
      if (!KNOWN.has(k)) diffs.push(`${at}: keyword ${k} is not compared`);
    if (typesOf(a) !== typesOf(b)) diffs.push(`${at}: type ${typesOf(a)} vs ${typesOf(b)}`);
    for (const k of SCALAR_KEYWORDS)
      if (norm(k, a[k]) !== norm(k, b[k])) diffs.push(`${at}: ${k} ${norm(k, a[k])} vs ${norm(k, b[k])}`);
    for (const k of ['properties', 'patternProperties']) {
      if (keysOf(a[k]) !== keysOf(b[k])) diffs.push(`${at}: ${k} keys [${keysOf(a[k])}] vs [${keysOf(b[k])}]`);
      for (const name of Object.keys(a[k] ?? {})) {
        const bk = b[k]?.[name];
        if (bk) compare(a[k][name], bk, `${at}/${k === 'properties' ? '' : '~'}${name}`);
      }
    }
    sub(a.additionalProperties, b.additionalProperties, `${at}/additionalProperties`);
    sub(a.items, b.items, `${at}[]`);
    for (const k of ['oneOf', 'anyOf']) {
      const [xa, xb] = [a[k] ?? [], b[k] ?? []];
      if (xa.length !== xb.length) diffs.push(`${at}: ${k} has ${xa.length} vs ${xb.length} branches`);
      else xa.forEach((branch, i) => compare(branch, xb[i], `${at}/${k}${i}`));
    }
  };
  const sub = (a, b, at) => {
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) compare(a, b, at);
    else if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  compare(left, right, '');
  return diffs;
}

/**
 * What schemaDiff(baseline, gantry's schema) must give under a pin (schemas/compose-spec.pin.json):
 * the pinned schema's differences from the baseline, with gantry's documented patch applied.
 */
export function expectedDiff(pin) {
  const replaced = new Set(pin.patch.flatMap((p) => p.replaces));
  return [...pin.upstream.filter((l) => !replaced.has(l)), ...pin.patch.flatMap((p) => p.lines)].sort();
}
