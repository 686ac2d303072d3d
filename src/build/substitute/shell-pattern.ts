// The shell patterns of `${V#p}`, `${V%p}` and `${V/p/r}` (`*`, `?`, `\` escapes; no bracket
// expressions, as BuildKit's lexer), turned into regular expressions.

const REGEX_SPECIAL = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? '[\\s\\S]*' : '[\\s\\S]*?';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') out += star;
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\') {
      // `}` and `/` are escaped only to get through `${…}`; the escape is not part of the pattern.
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      if (next !== '*' && next !== '?' && next !== '\\') throw new Error(`invalid escape '\\${next ?? ''}'`);
      out += `\\${next}`;
      i++;
    } else if (REGEX_SPECIAL.has(c)) out += `\\${c}`;
    else out += c;
  }
  return new RegExp(out, 'u');
}

export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = shellPatternToRegex(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

// A regex finds leftmost matches only, so the shortest suffix is found by reversing both sides.
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const reversed = trimPrefix(reversePattern(pattern), Array.from(value).reverse().join(''), greedy);
  return Array.from(reversed).reverse().join('');
}

function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = [];
  for (let i = 0; i < chars.length;) {
    if (chars[i] === '\\' && i !== chars.length - 1) {
      out.unshift(chars[i]!, chars[i + 1]!);
      i += 2;
    } else {
      out.unshift(chars[i]!);
      i++;
    }
  }
  return out.join('');
}

export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = shellPatternToRegex(pattern, true, false);
  if (all) {
    const g = new RegExp(re.source, 'gu');
    return value.replace(g, () => replacement);
  }
  const m = re.exec(value);
  return m ? value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length) : value;
}
