// Compose words for schema errors: what a sub-schema expects ("a list of strings", its title),
// and what to say about an unknown key (the nearest known key, or why x- is refused there).

type Schema = Readonly<Record<string, unknown>>;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

const PLURALS: Readonly<Record<string, string>> = {
  string: 'strings',
  number: 'numbers',
  integer: 'integers',
  boolean: 'booleans',
  object: 'mappings',
};

/** What a schema accepts, as a noun phrase: its title when it has one, else its type(s). */
export function describe(schema: Schema): string {
  if (typeof schema.title === 'string') return schema.title;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type)];
  return orList(types.map((t) => typeWord(t, schema)));
}

function typeWord(type: string, schema: Schema): string {
  const items = schema.items as Schema | undefined;
  if (type === 'array' && items && typeof items.type === 'string')
    return `a list of ${PLURALS[items.type] ?? items.type}`;
  return TYPE_WORDS[type] ?? type;
}

/** ['a', 'b', 'c'] → "a, b or c"; `null` goes last, as the least likely intent. */
export function orList(words: readonly string[]): string {
  const unique = [...new Set(words)].sort((a, b) => Number(a === 'null') - Number(b === 'null'));
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** The message for a key the schema does not allow in `parent`. */
export function unknownKey(key: string, parent: Schema): string {
  const known = Object.keys((parent.properties as Schema | undefined) ?? {});
  const patterns = Object.keys((parent.patternProperties as Schema | undefined) ?? {});
  if (known.length === 0 && patterns.length > 0) {
    return `invalid key '${key}' (keys here must match ${patterns.join(' or ')})`;
  }
  const base = `additional property '${key}' is not allowed`;
  if (key.startsWith('x-') && !patterns.includes('^x-')) return `${base} (x- extensions are not allowed here)`;
  const near = nearest(key, known);
  return near === undefined ? base : `${base} (did you mean '${near}'?)`;
}

/** The known key a typo most likely meant, or undefined when none is close enough. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const cand of known) {
    const c = cand.toLowerCase();
    const d = distance(k, c);
    // A cut-off word ("depends" for depends_on) is as likely as a typo; a key with nothing in
    // common (every letter replaced) is not a typo of it.
    const close = (d < c.length && d <= Math.max(1, Math.floor(c.length / 3))) || (k.length >= 4 && c.startsWith(k));
    if (close && d < bestScore) {
      best = cand;
      bestScore = d;
    }
  }
  return best;
}

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      row.push(v);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
