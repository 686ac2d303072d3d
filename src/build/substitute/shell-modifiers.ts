// The `${V<op>word}` modifiers once the word is known: `-` default, `+` alternative, `?` error,
// `#`/`##` and `%`/`%%` shortest/longest prefix and suffix removal (BuildKit's lexer semantics).
import { trimPrefix, trimSuffix } from './shell-pattern.ts';

export class SubstitutionError extends Error {
  override readonly name = 'SubstitutionError';
}

export function applyModifier(
  name: string,
  op: string,
  word: string,
  value: string | undefined,
  nullIsUnset: boolean,
): string {
  const empty = value === undefined || (nullIsUnset && value === '');
  switch (op) {
    case '-':
      return empty ? word : value!;
    case '+':
      return empty ? '' : word;
    case '?':
      if (value === undefined) throw new SubstitutionError(`${name}: ${word || 'is not allowed to be unset'}`);
      if (empty) throw new SubstitutionError(`${name}: ${word || 'is not allowed to be empty'}`);
      return value;
    default: {
      const greedy = word.startsWith(op);
      const pattern = greedy ? word.slice(1) : word;
      return op === '%' ? trimSuffix(pattern, value ?? '', greedy) : trimPrefix(pattern, value ?? '', greedy);
    }
  }
}
