// Case (seed, index) → a project directory's files, the argv for `gantry config` and the
// environment: a pure function, so any case can be rebuilt and replayed from its two numbers.
import type { Rng } from './prng.ts';
import { rngFor } from './prng.ts';
import { seedProjects } from './fixtures.ts';
import { corruptBytes, mutateText } from './text-mutators.ts';
import { mutateTree } from './tree-mutators.ts';
import { aliasBomb, deepNesting, envFile, fileChain, hugeScalars, randomProject, type Files } from './generators.ts';

export interface FuzzCase {
  readonly index: number;
  readonly kind: string;
  readonly files: Files;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly input?: string;
}

const KINDS = [
  ['mutate-text', 30],
  ['mutate-tree', 20],
  ['random-project', 10],
  ['env-file', 10],
  ['multi-file', 6],
  ['file-chain', 6],
  ['alias-bomb', 5],
  ['deep-nesting', 5],
  ['huge-scalar', 4],
  ['corrupt-bytes', 4],
] as const;
type Kind = (typeof KINDS)[number][0];

function pickKind(rng: Rng): Kind {
  let roll = rng.int(0, KINDS.reduce((n, [, w]) => n + w, 0) - 1);
  for (const [kind, weight] of KINDS) if ((roll -= weight) < 0) return kind;
  return 'mutate-text';
}

const yamlFiles = (files: Readonly<Record<string, string>>): string[] =>
  Object.keys(files)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

function mutatedFixture(
  rng: Rng,
  how: (text: string) => string | Uint8Array | undefined,
): { files: Files; first: string } {
  const seed = rng.pick(seedProjects());
  const files: Files = { ...seed.files };
  const names = yamlFiles(seed.files);
  const target = rng.pick(names);
  files[target] = how(seed.files[target]!) ?? mutateText(rng, seed.files[target]!);
  const first = names.includes('compose.yaml') ? 'compose.yaml' : names[0]!;
  return { files, first };
}

function projectFor(rng: Rng, kind: Kind): { files: Files; first: string; extraFiles?: string[] } {
  switch (kind) {
    case 'mutate-text':
      return mutatedFixture(rng, (t) => mutateText(rng, t));
    case 'mutate-tree':
      return mutatedFixture(rng, (t) => mutateTree(rng, t));
    case 'corrupt-bytes':
      return mutatedFixture(rng, (t) => corruptBytes(rng, t));
    case 'random-project':
      return { files: randomProject(rng), first: 'compose.yaml' };
    case 'alias-bomb':
      return { files: aliasBomb(rng), first: 'compose.yaml' };
    case 'deep-nesting':
      return { files: deepNesting(rng), first: 'compose.yaml' };
    case 'huge-scalar':
      return { files: hugeScalars(rng), first: 'compose.yaml' };
    case 'file-chain':
      return fileChain(rng);
    case 'env-file': {
      const p = mutatedFixture(rng, (t) => (rng.chance(0.3) ? mutateText(rng, t) : t));
      p.files['.env'] =
        typeof p.files['.env'] === 'string' && rng.chance(0.5) ? mutateText(rng, p.files['.env']) : envFile(rng);
      return p;
    }
    case 'multi-file': {
      const files: Files = {};
      const extraFiles: string[] = [];
      for (let i = rng.int(2, 60); i > 0; i--) {
        const seed = rng.pick(seedProjects());
        const text = seed.files[rng.pick(yamlFiles(seed.files))]!;
        const name = rng.chance(0.05) ? 'missing.yaml' : rng.chance(0.05) ? 'sub' : `m${i}.yaml`;
        if (name.startsWith('m')) files[name] = rng.chance(0.4) ? mutateText(rng, text) : text;
        extraFiles.push(name);
      }
      files['sub/.keep'] = '';
      return { files, first: extraFiles.shift()!, extraFiles };
    }
  }
}

const CONFIG_FLAGS: readonly (readonly string[])[] = [
  [],
  [],
  [],
  ['--format', 'json'],
  ['-q'],
  ['--services'],
  ['--volumes'],
  ['--images'],
  ['--profiles'],
  ['--hash', '*'],
  ['--no-interpolate'],
  ['--no-normalize'],
  ['--no-consistency'],
  ['--networks'],
];

export function makeCase(seed: number, index: number): FuzzCase {
  const rng = rngFor(seed, index);
  const kind = pickKind(rng);
  const { files, first, extraFiles = [] } = projectFor(rng, kind);
  const env: Record<string, string> = { FUZZ_SET: 'set', FUZZ_EMPTY: '' };
  if (rng.chance(0.05))
    env[rng.pick(['COMPOSE_PROJECT_NAME', 'COMPOSE_PROFILES', 'COMPOSE_FILE'])] = rng.pick([
      '',
      '-x',
      'É',
      'a,,b',
      '*',
      'nope.yaml',
      '${A}',
    ]);
  const global: string[] = [];
  let input: string | undefined;
  const viaStdin = kind !== 'multi-file' && rng.chance(0.05) && typeof files[first] === 'string';
  if (viaStdin) {
    input = files[first] as string;
    global.push('-f', '-');
  } else if (extraFiles.length > 0 || rng.chance(0.9)) {
    global.push('-f', first);
  }
  for (const f of extraFiles) global.push('-f', f);
  if (rng.chance(0.1)) global.push('--profile', rng.pick(['*', 'dev', '', 'É']));
  if (rng.chance(0.05)) global.push('-p', rng.pick(['ok', 'Bad!', '', '-x', 'a'.repeat(300)]));
  if (rng.chance(0.05)) global.push('--env-file', rng.pick(['.env', 'missing.env', 'sub', 'compose.yaml']));
  return {
    index,
    kind,
    files,
    args: [...global, 'config', ...rng.pick(CONFIG_FLAGS)],
    env,
    ...(input === undefined ? {} : { input }),
  };
}
