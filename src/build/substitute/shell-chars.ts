// Characters and word building for the shell lexer: Go's unicode.IsSpace, name characters, the
// special parameters, and the word list that substitution results are split into.

const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
export const isSpace = (c: string | undefined): boolean => c !== undefined && SPACE.test(c);
export const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c);
export const isNameChar = (c: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(c);
export const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

export class Words {
  word = '';
  inWord = false;
  readonly words: string[] = [];
  addChar(c: string): void {
    if (isSpace(c)) {
      if (this.inWord && this.word.length > 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else this.addRaw(c);
  }
  addRaw(s: string): void {
    this.word += s;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const c of s) this.addChar(c);
  }
  done(): string[] {
    if (this.word.length > 0) this.words.push(this.word);
    this.word = '';
    return this.words;
  }
}
