// .dockerignore, as Docker reads it (moby/patternmatcher and its ignorefile): `#` lines are
// comments, patterns are trimmed and cleaned, a leading `/` dropped; Go filepath.Match rules plus
// `**`; `!` re-includes; the last matching pattern wins; a path is excluded when it or one of its
// parent directories matches. Case-sensitive, as on Linux.
import { cleanPath } from './clean-path.ts';

/** The patterns of a .dockerignore file, normalized as Docker's ignorefile.ReadAll does. */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let p = line.trim();
    if (p === '') continue;
    const invert = p.startsWith('!');
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface Pattern {
  readonly text: string;
  readonly exclusion: boolean;
  readonly type: MatchType;
  readonly regexp: RegExp | undefined;
}

const ESCAPE = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

function compile(text: string, exclusion: boolean): Pattern {
  const chars = Array.from(text);
  let re = '^';
  let type: MatchType = 'exact';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*' && chars[i + 1] === '*') {
      const atStart = i === 0;
      i++;
      if (chars[i + 1] === '/') i++;
      if (i + 1 >= chars.length) {
        if (type === 'exact') type = 'prefix';
        else {
          re += '.*';
          type = 'regexp';
        }
      } else {
        re += '(.*/)?';
        type = 'regexp';
      }
      if (atStart) type = 'suffix';
    } else if (c === '*') {
      re += '[^/]*';
      type = 'regexp';
    } else if (c === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ESCAPE.has(c)) re += `\\${c}`;
    else if (c === '\\') {
      if (i + 1 < chars.length) {
        re += `\\${chars[++i]}`;
        type = 'regexp';
      } else re += '\\\\';
    } else if (c === '[' || c === ']') {
      re += c;
      type = 'regexp';
    } else re += c;
  }
  let regexp: RegExp | undefined;
  if (type === 'regexp') {
    try {
      regexp = new RegExp(`${re}$`);
    } catch {
      throw new Error(`syntax error in pattern: ${text}`);
    }
  }
  return { text, exclusion, type, regexp };
}

function matches(p: Pattern, path: string): boolean {
  switch (p.type) {
    case 'exact':
      return path === p.text;
    case 'prefix':
      return path.startsWith(p.text.slice(0, -2));
    case 'suffix': {
      const suffix = p.text.slice(2);
      return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    default:
      return p.regexp!.test(path);
  }
}

export class IgnoreMatcher {
  private readonly patterns: readonly Pattern[];
  /** Some pattern re-includes (`!`): an excluded directory may still hold included files. */
  readonly hasExclusions: boolean;

  constructor(patterns: readonly string[]) {
    const out: Pattern[] = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
      }
      if (/\[[^\]]*$/.test(p)) throw new Error(`syntax error in pattern: ${raw}`);
      out.push(compile(p, exclusion));
    }
    this.patterns = out;
    this.hasExclusions = out.some((p) => p.exclusion);
  }

  /** Whether the slash path (relative to the context) is excluded: it or a parent matches last. */
  excludes(path: string): boolean {
    const file = cleanPath(path);
    if (file === '.') return false;
    const slash = file.lastIndexOf('/');
    const parents = slash < 0 ? [] : file.slice(0, slash).split('/');
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let m = matches(p, file);
      for (let i = 0; !m && i < parents.length; i++) m = matches(p, parents.slice(0, i + 1).join('/'));
      if (m) matched = !p.exclusion;
    }
    return matched;
  }
}
