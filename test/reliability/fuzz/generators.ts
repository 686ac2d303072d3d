// Documents built from scratch: random compose projects, alias bombs, deep nesting, huge scalars,
// .env files, include/extends chains and loops. Each returns a project's files.
import type { Rng } from './prng.ts';
import { ALL_TOKENS, INTERPOLATION, SCALARS, SERVICE_KEYS, TOP_KEYS, UNICODE } from './nasty.ts';
import { wrongValue } from './tree-mutators.ts';

export type Files = Record<string, string | Uint8Array>;

const word = (rng: Rng): string =>
  rng.pick(['web', 'db', 'a', 'b', 'x-y', 'Web', '1', '_', 'a.b', 'é', '', ' ', '${A}', 'default']);
const interpolated = (rng: Rng): string =>
  Array.from({ length: rng.int(1, 5) }, () => (rng.chance(0.6) ? rng.pick(INTERPOLATION) : word(rng))).join('');

function randomService(rng: Rng): Record<string, unknown> {
  const svc: Record<string, unknown> = rng.chance(0.8) ? { image: rng.chance(0.7) ? 'alpine' : interpolated(rng) } : {};
  for (let i = rng.int(0, 8); i > 0; i--) {
    const key = rng.pick(SERVICE_KEYS);
    svc[key] = rng.chance(0.5) ? wrongValue(rng) : rng.chance(0.5) ? interpolated(rng) : [interpolated(rng), word(rng)];
  }
  return svc;
}

export function randomProject(rng: Rng): Files {
  const doc: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  for (let i = rng.int(0, 6); i > 0; i--) services[word(rng)] = rng.chance(0.9) ? randomService(rng) : wrongValue(rng);
  doc['services'] = services;
  for (let i = rng.int(0, 3); i > 0; i--)
    doc[rng.pick(TOP_KEYS)] = rng.chance(0.5) ? wrongValue(rng) : { [word(rng)]: wrongValue(rng) };
  return { 'compose.yaml': JSON.stringify(doc) };
}

export function aliasBomb(rng: Rng): Files {
  const width = rng.int(2, 12);
  const depth = rng.int(2, 12);
  const merge = rng.chance(0.3);
  const lines = [`x-0: &a0 ${merge ? '{k: v}' : `[${Array(width).fill('"lol"').join(',')}]`}`];
  for (let d = 1; d < depth; d++) {
    const refs = Array(width)
      .fill(`*a${d - 1}`)
      .join(', ');
    lines.push(merge ? `x-${d}: &a${d} {<<: [${refs}], k${d}: v}` : `x-${d}: &a${d} [${refs}]`);
  }
  const use = rng.pick(['environment', 'command', 'labels', 'x-use']);
  lines.push('services:', '  web:', '    image: alpine', `    ${use}: *a${depth - 1}`);
  return { 'compose.yaml': lines.join('\n') + '\n' };
}

export function deepNesting(rng: Rng): Files {
  const n = rng.int(100, 20_000);
  switch (rng.int(0, 3)) {
    case 0:
      return {
        'compose.yaml': `services:\n  web:\n    image: alpine\n    x-deep: ${'['.repeat(n)}${']'.repeat(rng.chance(0.8) ? n : n - 1)}\n`,
      };
    case 1:
      return { 'compose.yaml': `services: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n` };
    case 2:
      return {
        'compose.yaml':
          Array.from({ length: Math.min(n, 3000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' v\n',
      };
    default:
      return { 'compose.yaml': `x-deep: ${'- '.repeat(Math.min(n, 5000))}x\nservices: {}\n` };
  }
}

export function hugeScalars(rng: Rng): Files {
  const big = rng.pick(['x', '$', '${A}', 'é', '\\', ' ']).repeat(rng.int(100_000, 1_200_000) / 4);
  switch (rng.int(0, 3)) {
    case 0:
      return { 'compose.yaml': `services:\n  web:\n    image: "${big}"\n` };
    case 1:
      return { 'compose.yaml': `services:\n  ${big.slice(0, 200_000)}:\n    image: alpine\n` };
    case 2:
      return {
        'compose.yaml':
          'services:\n' +
          Array.from({ length: rng.int(500, 5000) }, (_, i) => `  s${i}: {image: alpine}`).join('\n') +
          '\n',
      };
    default:
      return {
        'compose.yaml': `services:\n  web:\n    image: alpine\n    command: ${rng.int(1, 9).toString().repeat(rng.int(20, 100_000))}\n`,
      };
  }
}

export function envFile(rng: Rng): string {
  const lines: string[] = [];
  for (let i = rng.int(1, 30); i > 0; i--) {
    const key = rng.pick([
      'A',
      'B',
      'TAG',
      'export A',
      'a b',
      '',
      '1X',
      'COMPOSE_PROJECT_NAME',
      'COMPOSE_PROFILES',
      'COMPOSE_FILE',
      'É',
      rng.pick(UNICODE),
    ]);
    const value = rng.chance(0.5)
      ? interpolated(rng)
      : rng.pick([
          ...SCALARS,
          ...UNICODE,
          '"open',
          "'open",
          '"a\\"b"',
          '`x`',
          'x'.repeat(rng.int(1, 100_000)),
          '"multi\nline"',
        ]);
    lines.push(
      rng.chance(0.1)
        ? value
        : `${key}${rng.pick(['=', ' = ', ':', '=', '==', ''])}${value}${rng.chance(0.1) ? ' # comment' : ''}`,
    );
  }
  return lines.join(rng.chance(0.2) ? '\r\n' : '\n');
}

/** include / extends chains over several files, closing into a loop or ending at a missing file. */
export function fileChain(rng: Rng): { files: Files; first: string } {
  const n = rng.int(1, 8);
  const name = (i: number): string => (i === 0 ? 'compose.yaml' : `f${i}.yaml`);
  const end = rng.pick(['loop', 'self', 'missing', 'dir', 'ok', 'absolute', 'parent']);
  const target = (i: number): string => {
    if (i + 1 < n) return name(i + 1);
    return {
      loop: name(0),
      self: name(i),
      missing: 'nowhere.yaml',
      dir: 'sub',
      ok: 'leaf.yaml',
      absolute: '/nonexistent/x.yaml',
      parent: '../../../../etc/hostname',
    }[end]!;
  };
  const viaExtends = rng.chance(0.5);
  const files: Files = { 'leaf.yaml': 'services:\n  base: {image: alpine}\n', 'sub/.keep': '' };
  for (let i = 0; i < n; i++) {
    files[name(i)] = viaExtends
      ? `services:\n  s${i}:\n    extends: {file: ${target(i)}, service: ${i + 1 < n ? `s${i + 1}` : rng.pick(['s0', 'base', 'nope'])}}\n`
      : `include:\n  - ${rng.chance(0.7) ? target(i) : `{path: [${target(i)}], project_directory: ${rng.pick(['.', 'sub', '/nonexistent'])}}`}\nservices:\n  s${i}: {image: alpine}\n`;
  }
  return { files, first: name(0) };
}

export { ALL_TOKENS };
