// Structure-level mutations: parse a fixture, replace one node by a value of a wrong type (deep,
// huge, empty, oddly keyed), and print it back, so the schema and normalizer see wrong types in
// otherwise well-formed documents.
import { parse, stringify } from 'yaml';
import type { Rng } from './prng.ts';
import { ALL_TOKENS, SCALARS } from './nasty.ts';

type Node = unknown;

function deep(rng: Rng, depth: number): Node {
  let v: Node = rng.pick(SCALARS);
  for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? [v] : { [rng.pick(['a', 'image', 'services', '<<'])]: v };
  return v;
}

export function wrongValue(rng: Rng): Node {
  switch (rng.int(0, 11)) {
    case 0:
      return rng.int(-1e9, 1e9) * (rng.chance(0.3) ? 1e300 : 1);
    case 1:
      return rng.chance(0.5);
    case 2:
      return null;
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return 'x'.repeat(rng.int(10_000, 400_000));
    case 6:
      return deep(rng, rng.int(50, 2000));
    case 7:
      return Array.from({ length: rng.int(1, 2000) }, (_, i) => (rng.chance(0.5) ? `${i}:${i}` : i));
    case 8:
      return Array.from({ length: rng.int(1, 4) }, () => rng.pick(ALL_TOKENS)).join('');
    case 9:
      return Object.fromEntries(
        Array.from({ length: rng.int(1, 50) }, () => [rng.pick(ALL_TOKENS), rng.pick(SCALARS)]),
      );
    case 10:
      return rng.pick(SCALARS);
    default:
      return [rng.pick(ALL_TOKENS), { [rng.pick(ALL_TOKENS)]: rng.pick(ALL_TOKENS) }];
  }
}

function containers(node: Node, out: Array<Record<string, Node> | Node[]> = []): Array<Record<string, Node> | Node[]> {
  if (node !== null && typeof node === 'object') {
    out.push(node as Record<string, Node>);
    for (const v of Object.values(node)) containers(v, out);
  }
  return out;
}

export function mutateTree(rng: Rng, text: string): string | undefined {
  let doc: Node;
  try {
    doc = parse(text, { maxAliasCount: 1000, logLevel: 'silent' }) as Node;
  } catch {
    return undefined; // an invalid fixture: the text mutators cover it
  }
  const targets = containers(doc);
  if (targets.length === 0) return undefined;
  for (let round = rng.int(1, 3); round > 0; round--) {
    const target = rng.pick(targets);
    const keys = Object.keys(target);
    const key =
      keys.length === 0 || rng.chance(0.15)
        ? rng.pick(['image', 'services', 'x', '<<', ...ALL_TOKENS])
        : rng.pick(keys);
    if (rng.chance(0.15)) delete (target as Record<string, Node>)[key];
    else (target as Record<string, Node>)[key] = wrongValue(rng);
  }
  // JSON is YAML too, and it prints depths the YAML printer would refuse.
  try {
    return rng.chance(0.3) ? JSON.stringify(doc) : stringify(doc, { aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(doc);
  }
}
