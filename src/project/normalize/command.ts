// `command` / `entrypoint`: a list stays as written; a string is split into words the way a
// POSIX shell would (quotes, backslashes), as Compose does; an explicit null or [] means
// "empty, do not use the image's value".
import type { KeyPath } from '../raw.ts';
import { asString, configError, type NormalizeContext } from './context.ts';

export function normalizeCommand(ctx: NormalizeContext, path: KeyPath, v: unknown): readonly string[] | null {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((e, i) => asString(ctx, [...path, i], e));
  const words = splitShellWords(asString(ctx, path, v));
  if (words === undefined) throw configError(ctx, path, 'unterminated quote');
  return words;
}

/** Shell-like word splitting without expansion; undefined on an unterminated quote. */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      const r = doubleQuoted(text, i + 1);
      if (!r) return undefined;
      word += r.value;
      i = r.end;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

// Inside double quotes a backslash escapes only `"`, `\`, `$` and a backquote.
function doubleQuoted(text: string, from: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i };
    if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) value += text[++i];
    else value += c;
  }
  return undefined;
}
