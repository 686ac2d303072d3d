// Which texts the fast reader (load-fast.ts) declines before parsing: constructs js-yaml and
// `yaml` read differently, or that only `yaml` refuses. A declined file is read by the precise
// reader (load.ts), which is slower but always right; declining too much costs time, never truth.

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

// A line longer than the 1024 characters `yaml` allows an implicit key goes to it too. A loop, not
// /[^\n]{1025}/: that regular expression tries up to a line's length at every offset, and V8 compiles
// its 1,025-fold repeat; 40–140 ms on bench/config-cold.mjs's 400-service file (160 kB) against 0.3 ms.
function hasLongLine(text: string): boolean {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    if ((end < 0 ? text.length : end) - start > 1024) return true;
    if (end < 0) return false;
    start = end + 1;
  }
  return false;
}

// Quoted scalars and flow collections that run over several lines follow indentation rules the
// two read differently: a line with an odd number of quotes or unbalanced brackets (outside
// quotes and comments, roughly) sends the file to `yaml`.
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

/** True when the fast reader cannot vouch for `text`: the precise reader must read it. */
export function fastReaderDeclines(text: string): boolean {
  return UNSURE.some((re) => re.test(text)) || hasLongLine(text) || multiLineFlow(text);
}
