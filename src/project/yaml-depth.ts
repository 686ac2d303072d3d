// A nesting limit checked on yaml's CST, which is built without recursion: the composer and
// everything after it (merge, interpolation, schema, normalize) recurse per level, so a file
// nested thousands deep would otherwise end in "Maximum call stack size exceeded" at a
// position that depends on the stack size. No real compose file comes near the limit.
import type { CST } from 'yaml';

export const MAX_NESTING = 128;

type Token = CST.Token;

function children(token: Token): Token[] {
  switch (token.type) {
    case 'document':
      return token.value ? [token.value] : [];
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      return token.items.flatMap((item) => {
        const kids: Token[] = [];
        if ('key' in item && item.key) kids.push(item.key);
        if (item.value) kids.push(item.value);
        return kids;
      });
    default:
      return [];
  }
}

const nests = (t: Token): boolean => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';

/** The offset of the first collection nested deeper than `limit`, or undefined. */
export function tooDeepAt(tokens: readonly Token[], limit = MAX_NESTING): number | undefined {
  const stack: { token: Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const here = nests(token) ? depth + 1 : depth;
    if (here > limit) return token.offset;
    for (const child of children(token)) stack.push({ token: child, depth: here });
  }
  return undefined;
}
