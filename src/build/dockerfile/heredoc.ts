// Heredoc openers on an instruction line (`<<EOF`, `<<-EOF`, `3<<EOF`, `<<'EOF'`, several per
// line), found as BuildKit does: the line is split into shell words and each word is matched.
import { processWord } from '../substitute/shell-lex.ts';

const OPENER = /^(\d*)<<(-?)([^<]*)$/;
const NO_ENV: ReadonlyMap<string, string> = new Map();

export interface HeredocOpener {
  readonly name: string;
  readonly expand: boolean;
  readonly chomp: boolean;
  readonly fd: number;
}

/** The opener a single word stands for, if any (`<<EOF` as a COPY source, for instance). */
export function heredocOpener(word: string): HeredocOpener | undefined {
  const m = OPENER.exec(word);
  if (!m || m[3] === '') return undefined;
  const rest = m[3]!;
  const plain = processWord(rest, NO_ENV, { skipUnsetEnv: true }).words;
  if (plain.length !== 1) return undefined;
  const raw = processWord(rest, NO_ENV, { skipUnsetEnv: true, rawQuotes: true }).words;
  // A quote anywhere in the delimiter word turns substitution in the body off, as in the shell.
  const quotes = (s: string): number => (s.match(/['"]/g) ?? []).length;
  return {
    name: plain[0]!,
    expand: quotes(plain[0]!) === quotes(raw[0] ?? ''),
    chomp: m[2] === '-',
    fd: Number(m[1] || '0'),
  };
}

export function heredocOpeners(line: string): HeredocOpener[] {
  let words: readonly string[];
  try {
    words = processWord(line, NO_ENV, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  } catch {
    return [];
  }
  return words.map((w) => heredocOpener(w)).filter((h): h is HeredocOpener => h !== undefined);
}

export const chompTabs = (content: string): string => content.replace(/^\t+/gm, '');
