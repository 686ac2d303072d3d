// How BuildKit's parser cuts one logical line before any substitution: the instruction word, its
// `--flags`, quote-keeping words (ENV, LABEL, ARG), whitespace lists (FROM, EXPOSE, COPY) and the
// JSON (exec) form. Quotes and escapes stay in the words here; substitution removes them later.
import { isSpace } from '../substitute/shell-lex.ts';

const WHITESPACE = /[\t\v\f\r ]+/;

export interface SplitLine {
  readonly keyword: string; // lower case, as written otherwise
  readonly flags: readonly string[]; // without the leading `--`, e.g. `from=build`
  readonly rest: string;
}

export function splitCommand(line: string): SplitLine {
  const trimmed = line.trim();
  const m = WHITESPACE.exec(trimmed);
  if (!m) return { keyword: trimmed.toLowerCase(), flags: [], rest: '' };
  const keyword = trimmed.slice(0, m.index).toLowerCase();
  const { rest, flags } = extractFlags(trimmed.slice(m.index + m[0].length));
  return { keyword, flags, rest: rest.trim() };
}

/** Leading words that start with `--` are flags; `--` alone ends them. Quotes and `\` are removed. */
function extractFlags(line: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < line.length && isSpace(line[pos])) pos++;
    if (pos >= line.length) return { rest: '', flags };
    if (!line.startsWith('--', pos)) return { rest: line.slice(pos), flags };
    let word = '';
    let blankOk = false;
    let quote = '';
    for (; pos < line.length; pos++) {
      const c = line[pos]!;
      if (quote === '' && isSpace(c)) break;
      if (quote === '' && (c === "'" || c === '"')) {
        quote = c;
        blankOk = true;
      } else if (quote !== '' && c === quote) quote = '';
      else if (c === '\\') {
        if (pos + 1 < line.length) word += line[++pos];
      } else word += c;
    }
    if (word === '--') return { rest: line.slice(pos), flags };
    if (blankOk || word.length > 0) flags.push(word.slice(2));
  }
}

/** Words split at unquoted whitespace; quotes and escapes are kept for the substitution pass. */
export function parseWords(rest: string, escape: string): string[] {
  const words: string[] = [];
  const chars = Array.from(rest);
  let word = '';
  let inWord = false;
  let blankOk = false;
  let quote = '';
  for (let i = 0; i < chars.length; i++) {
    let c = chars[i]!;
    if (!inWord) {
      if (isSpace(c)) continue;
      inWord = true;
    }
    if (quote === '') {
      if (isSpace(c)) {
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        inWord = false;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        blankOk = true;
      } else if (c === escape) {
        if (i + 1 === chars.length) continue;
        word += c;
        c = chars[++i]!;
      }
      word += c;
      continue;
    }
    if (c === quote) quote = '';
    else if (c === escape && quote !== "'") {
      if (i + 1 === chars.length) {
        quote = '';
        continue;
      }
      word += c;
      c = chars[++i]!;
    }
    word += c;
  }
  if (inWord && (blankOk || word.length > 0)) words.push(word);
  return words;
}

export function splitWhitespace(rest: string): string[] {
  return rest === '' ? [] : rest.split(WHITESPACE);
}

export class NotStringArrayError extends Error {
  constructor() {
    super('when using JSON array syntax, arrays must be comprised of strings only');
  }
}

/**
 * The exec form: a JSON array of strings at the start of `rest` (Go's decoder reads the first value
 * and ignores what follows, so do we). undefined when it is not JSON: the shell form applies.
 */
export function parseJsonArray(rest: string): string[] | undefined {
  const text = rest.trimStart();
  if (!text.startsWith('[')) return undefined;
  const end = jsonValueEnd(text);
  if (end < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(0, end));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v): v is string => typeof v === 'string')) throw new NotStringArrayError();
  return value;
}

function jsonValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
