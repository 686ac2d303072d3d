// Compose's `.env` syntax (compose-go's dotenv rules, re-implemented): `KEY=value`, `KEY: value`,
// `export KEY=value`, bare `KEY` inherits from the environment, ` #` starts an inline comment on
// unquoted values only, single quotes are literal, double quotes take shell escapes and may span
// lines, and unquoted / double-quoted values are interpolated with `${…}` like compose files.
import { ConfigError } from '../common/errors.ts';
import { substitute, TemplateError } from './template.ts';

export interface DotEnvOptions {
  /** Named in errors. */
  readonly file: string;
  /** Variables that win over this file's own (the shell environment); also feed bare `KEY` lines. */
  readonly lookup?: (name: string) => string | undefined;
  /** Variables consulted after this file's own earlier keys (earlier env files). */
  readonly fallback?: (name: string) => string | undefined;
}

// Spaces that are not line breaks (\n ends a statement).
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\u0085' || c === '\u00a0';
const isKeyChar = (c: string): boolean => /[\p{L}\p{N}_.\-[\]]/u.test(c);

class Scanner {
  i = 0;
  line = 1;
  lineStart = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}
  peek(): string | undefined {
    return this.text[this.i];
  }
  advance(): void {
    if (this.text[this.i] === '\n') {
      this.line++;
      this.lineStart = this.i + 1;
    }
    this.i++;
  }
  error(msg: string, line = this.line, col = this.i - this.lineStart + 1): ConfigError {
    return new ConfigError(msg, { position: { file: this.file, line, col } });
  }
  /** Skips blank space, empty lines and `#` comment lines before a statement. */
  skipToStatement(): boolean {
    for (;;) {
      const c = this.peek();
      if (c === undefined) return false;
      if (c === '#') while (this.peek() !== undefined && this.peek() !== '\n') this.advance();
      else if (c === '\n' || isSpace(c) || /\s/.test(c)) this.advance();
      else return true;
    }
  }
  skipSpaces(): void {
    while (isSpace(this.peek())) this.advance();
  }
}

export function parseDotEnv(text: string, opts: DotEnvOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const s = new Scanner(text, opts.file);
  const lookup = (name: string): string | undefined => opts.lookup?.(name) ?? out[name] ?? opts.fallback?.(name);
  while (s.skipToStatement()) {
    const line = s.line;
    const col = s.i - s.lineStart + 1;
    const key = readKey(s);
    const term = s.peek();
    if (term === undefined || term === '\n') {
      const inherited = opts.lookup?.(key) ?? opts.fallback?.(key);
      if (inherited !== undefined) out[key] = inherited;
      continue;
    }
    s.advance(); // '=' or ':'
    s.skipSpaces();
    try {
      out[key] = readValue(s, lookup);
    } catch (e) {
      if (e instanceof TemplateError) throw s.error(`${key}: ${e.message}`, line, col);
      throw e;
    }
  }
  return out;
}

function readKey(s: Scanner): string {
  if (/^export[ \t]/.test(s.text.slice(s.i, s.i + 7))) {
    for (let k = 0; k < 6; k++) s.advance();
    s.skipSpaces();
  }
  const start = s.i;
  for (let c = s.peek(); c !== undefined && c !== '=' && c !== ':' && c !== '\n'; c = s.peek()) {
    if (!isSpace(c) && !isKeyChar(c)) {
      const lineText = s.text.slice(start, (s.text.indexOf('\n', start) + 1 || s.text.length + 1) - 1);
      // The whole code point: half a surrogate pair would print as U+FFFD.
      const char = String.fromCodePoint(s.text.codePointAt(s.i)!);
      throw s.error(`unexpected character "${char}" in variable name "${lineText}"`);
    }
    s.advance();
  }
  const key = s.text.slice(start, s.i).replace(/\s+$/, '');
  if (/\s/.test(key)) throw s.error('key cannot contain a space', s.line, start - s.lineStart + 1);
  if (key === '') throw s.error('missing variable name');
  return key;
}

function readValue(s: Scanner, lookup: (name: string) => string | undefined): string {
  const q = s.peek();
  const env = { lookup };
  if (q !== '"' && q !== "'") {
    const end = s.text.indexOf('\n', s.i);
    let raw = s.text.slice(s.i, end < 0 ? s.text.length : end);
    while (s.i < (end < 0 ? s.text.length : end)) s.advance();
    const hash = raw.indexOf(' #');
    if (hash >= 0) raw = raw.slice(0, hash);
    return substitute(raw.replace(/\s+$/, ''), env);
  }
  const startLine = s.line;
  const startCol = s.i - s.lineStart + 1;
  const quoteStart = s.i;
  s.advance();
  let chars = '';
  for (let escaped = false; ;) {
    const c = s.peek();
    if (c === undefined) {
      const rest = s.text.slice(quoteStart).split('\n')[0]!;
      throw s.error(`unterminated quoted value ${rest}`, startLine, startCol);
    }
    s.advance();
    if (escaped) {
      escaped = false;
      chars += c === q ? c : `\\${c}`;
    } else if (c === '\\') escaped = true;
    else if (c === q) break;
    else chars += c;
  }
  return q === '"' ? substitute(expandEscapes(chars), env) : chars;
}

const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

// Shell escapes of double-quoted values; `\$` becomes `$$` so substitution leaves a literal `$`.
// Anything else (`\x41`, `\ `, `\c`) is kept as written.
function expandEscapes(str: string): string {
  return str.replace(/\\(0[0-7]{3}|.)/gs, (m, e: string) => {
    if (e === '$') return '$$';
    if (e.length === 4) return String.fromCharCode(parseInt(e.slice(1), 8));
    return SIMPLE[e] ?? m;
  });
}
