// Docker's variable substitution, as BuildKit's shell lexer does it: `$V`, `${V}`, `${V:-x}`,
// `${V-x}`, `${V:+x}`, `${V+x}`, `${V:?msg}`, `${V?msg}`, `${V#p}`, `${V%p}`, `${V/p/r}`, quote
// removal (single quotes literal, double quotes substituted) and the escape token; plus the word
// split that follows substitution (EXPOSE, heredoc names).
import { isDigit, isNameChar, SPECIAL_PARAMS, Words } from './shell-chars.ts';
import { applyModifier, SubstitutionError } from './shell-modifiers.ts';
import { replacePattern } from './shell-pattern.ts';

export { isSpace } from './shell-chars.ts';

export interface LexOptions {
  /** The Dockerfile's escape token (`# escape=`). */
  readonly escape?: string;
  /** Keep quote characters in the output (heredoc-name detection). */
  readonly rawQuotes?: boolean;
  /** Keep escape tokens in the output. */
  readonly rawEscapes?: boolean;
  /** Leave `$V` of an unset V as written instead of the empty string. */
  readonly skipUnsetEnv?: boolean;
  /** Quotes are plain characters (heredoc bodies). */
  readonly skipProcessQuotes?: boolean;
}

export interface LexResult {
  readonly result: string;
  readonly words: readonly string[];
  /** Names that were looked up and found / not found: the values that reach an instruction. */
  readonly matched: ReadonlySet<string>;
  readonly unmatched: ReadonlySet<string>;
}

export { SubstitutionError };

/** Substitutes `word` with `env`; the result keeps spaces, `words` is it split as the shell would. */
export function processWord(word: string, env: ReadonlyMap<string, string>, opts: LexOptions = {}): LexResult {
  const sw = new ShellWord(word, env, opts);
  try {
    const { result, words } = sw.processStopOn(undefined, opts.rawEscapes ?? false);
    return { result, words, matched: sw.matched, unmatched: sw.unmatched };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new SubstitutionError(`failed to process ${JSON.stringify(word)}: ${detail}`);
  }
}

class ShellWord {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly env: ReadonlyMap<string, string>;
  private readonly opts: LexOptions;
  private readonly escape: string;

  constructor(word: string, env: ReadonlyMap<string, string>, opts: LexOptions) {
    this.chars = Array.from(word);
    this.env = env;
    this.opts = opts;
    this.escape = opts.escape ?? '\\';
    this.rawEscapes = opts.rawEscapes ?? false;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }
  private next(): string | undefined {
    return this.chars[this.pos++];
  }

  processStopOn(stop: string | undefined, rawEscapes: boolean): { result: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      return this.scan(stop);
    } finally {
      this.rawEscapes = saved;
    }
  }

  private scan(stop: string | undefined): { result: string; words: string[] } {
    let result = '';
    const words = new Words();
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stop !== undefined && ch === stop) {
        this.pos++;
        return { result, words: words.done() };
      }
      const quote = (ch === "'" || ch === '"') && this.opts.skipProcessQuotes !== true;
      if (ch === '$' || quote) {
        const part = ch === '$' ? this.dollar() : ch === "'" ? this.singleQuote() : this.doubleQuote();
        result += part;
        if (ch === '$') words.addString(part);
        else words.addRaw(part);
        continue;
      }
      let c = this.next()!;
      if (c === this.escape) {
        if (this.rawEscapes) {
          words.addRaw(c);
          result += c;
        }
        const escaped = this.next();
        if (escaped === undefined) break;
        c = escaped;
        words.addRaw(c);
      } else words.addChar(c);
      result += c;
    }
    if (stop !== undefined)
      throw new SubstitutionError(`unexpected end of statement while looking for matching ${stop}`);
    return { result, words: words.done() };
  }

  private singleQuote(): string {
    const raw = this.opts.rawQuotes === true;
    let out = raw ? this.next()! : (this.next(), '');
    for (;;) {
      const c = this.next();
      if (c === undefined)
        throw new SubstitutionError('unexpected end of statement while looking for matching single-quote');
      if (c === "'") return raw ? out + c : out;
      out += c;
    }
  }

  private doubleQuote(): string {
    const raw = this.opts.rawQuotes === true;
    let out = raw ? this.next()! : (this.next(), '');
    for (;;) {
      const p = this.peek();
      if (p === undefined)
        throw new SubstitutionError('unexpected end of statement while looking for matching double-quote');
      if (p === '"') {
        this.pos++;
        return raw ? out + p : out;
      }
      if (p === '$') {
        out += this.dollar();
        continue;
      }
      let c = this.next()!;
      if (c === this.escape) {
        if (this.rawEscapes) out += c;
        const n = this.peek();
        if (n === undefined) continue;
        // Only `"`, `$` and the escape token itself can be escaped inside double quotes.
        if (n === '"' || n === '$' || n === this.escape) c = this.next()!;
      }
      out += c;
    }
  }

  private lookup(name: string): string | undefined {
    const v = this.env.get(name);
    if (v === undefined) this.unmatched.add(name);
    else this.matched.add(name);
    return v;
  }

  private dollar(): string {
    this.pos++; // the `$`
    if (this.peek() !== '{') {
      const name = this.name();
      if (name === '') return '$';
      const v = this.lookup(name);
      if (v === undefined && this.opts.skipUnsetEnv === true) return `$${name}`;
      return v ?? '';
    }
    this.pos++; // the `{`
    const first = this.peek();
    if (first === undefined) throw new SubstitutionError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new SubstitutionError('syntax error: bad substitution');
    const name = this.name();
    let op = this.next();
    if (op === undefined) throw new SubstitutionError("syntax error: missing '}'");
    if (op === '}') {
      const v = this.lookup(name);
      if (v === undefined && this.opts.skipUnsetEnv === true) return `\${${name}}`;
      return v ?? '';
    }
    if (op === '/') return this.replace(name);
    let modifier = op;
    let nullIsUnset = false;
    if (op === ':') {
      nullIsUnset = true;
      op = this.next();
      if (op === undefined) throw new SubstitutionError("syntax error: missing '}'");
      modifier += op;
    }
    if (!['+', '-', '?', '#', '%'].includes(op))
      throw new SubstitutionError(`unsupported modifier (${modifier}) in substitution`);
    return this.modified(name, op, modifier, nullIsUnset);
  }

  private modified(name: string, op: string, modifier: string, nullIsUnset: boolean): string {
    let word: string;
    try {
      word = this.processStopOn('}', op === '#' || op === '%').result;
    } catch (e) {
      if (this.peek() === undefined) throw new SubstitutionError("syntax error: missing '}'");
      throw e;
    }
    const value = this.lookup(name);
    if (value === undefined && this.opts.skipUnsetEnv === true) return `\${${name}${modifier}${word}}`;
    return applyModifier(name, op, word, value, nullIsUnset);
  }

  private replace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.pos++;
    const part = (stop: string, missing: string): string => {
      try {
        return this.processStopOn(stop, true).result;
      } catch (e) {
        if (this.peek() === undefined) throw new SubstitutionError(missing);
        throw e;
      }
    };
    const pattern = part('/', "syntax error: missing '/' in ${}");
    const replacement = part('}', "syntax error: missing '}'");
    const value = this.lookup(name);
    if (value === undefined && this.opts.skipUnsetEnv === true) return `\${${name}/${pattern}/${replacement}}`;
    return replacePattern(value ?? '', pattern, replacement, all);
  }

  private name(): string {
    let name = '';
    for (let c = this.peek(); c !== undefined; c = this.peek()) {
      if (name === '' && isDigit(c)) {
        while (this.peek() !== undefined && isDigit(this.peek()!)) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(c)) return this.next()!;
      if (!isNameChar(c)) break;
      name += this.next();
    }
    return name;
  }
}
