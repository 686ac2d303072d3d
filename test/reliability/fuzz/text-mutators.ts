// Text-level mutations of a compose or .env file: splice nasty fragments, break indentation and
// line endings, duplicate, truncate, stretch lines. Each takes and returns the whole text.
import type { Rng } from './prng.ts';
import { ALL_TOKENS } from './nasty.ts';

type Mutator = (rng: Rng, text: string) => string;

const pos = (rng: Rng, text: string): number => rng.int(0, text.length);
const lines = (text: string): string[] => text.split('\n');

const MUTATORS: readonly Mutator[] = [
  (rng, t) => {
    const p = pos(rng, t);
    return t.slice(0, p) + rng.pick(ALL_TOKENS) + t.slice(p);
  },
  (rng, t) => {
    const p = pos(rng, t);
    return t.slice(0, p) + rng.pick(ALL_TOKENS) + t.slice(p + rng.int(1, 8));
  },
  (rng, t) => {
    const p = pos(rng, t);
    return t.slice(0, p) + t.slice(p + rng.int(1, 40));
  },
  (rng, t) => {
    const l = lines(t);
    const i = rng.int(0, l.length - 1);
    l.splice(i, 0, l[i]!);
    return l.join('\n');
  },
  (rng, t) => {
    const l = lines(t);
    const i = rng.int(0, l.length - 1);
    const j = rng.int(0, l.length - 1);
    [l[i], l[j]] = [l[j]!, l[i]!];
    return l.join('\n');
  },
  (rng, t) => {
    const l = lines(t);
    const i = rng.int(0, l.length - 1);
    l[i] = ' '.repeat(rng.int(0, 7)) + l[i]!.trimStart();
    return l.join('\n');
  },
  (_rng, t) => t.replaceAll('\n', '\r\n'),
  (rng, t) => t.replace(/^( {2})+/gm, (m) => (rng.chance(0.5) ? '\t'.repeat(m.length / 2) : `${m}\t`)),
  (rng, t) => t.slice(0, pos(rng, t)),
  (rng, t) => {
    const l = lines(t);
    const i = rng.int(0, l.length - 1);
    // Capped so the copies stay within the 12 MB the caller keeps: a long line × 2,000 would pass V8's string limit.
    const copies = Math.min(rng.int(10, 2000), Math.floor(12_000_000 / (l[i]!.length + 1)));
    l.splice(i, 0, ...Array<string>(copies).fill(l[i]!));
    return l.join('\n');
  },
  (rng, t) => {
    const p = pos(rng, t);
    return t.slice(0, p) + rng.pick(['x', 'é', '$', ' ', '{', '😀']).repeat(rng.int(1000, 300_000)) + t.slice(p);
  },
  (_rng, t) => `\uFEFF${t}`,
  (rng, t) => {
    const p = pos(rng, t);
    return t.slice(0, p) + String.fromCharCode(rng.int(0, 0x1f)) + t.slice(p);
  },
  (rng, t) => t.replace(/: /g, (m) => (rng.chance(0.2) ? ':' : m)),
  (rng, t) => t.replace(/[A-Za-z_]+/g, (m) => (rng.chance(0.05) ? `\${${m}}` : m)),
  (rng, t) => {
    const l = lines(t);
    const i = rng.int(0, l.length - 1);
    l[i] = `${l[i]} ${rng.pick(ALL_TOKENS)}${rng.pick(ALL_TOKENS)}`;
    return l.join('\n');
  },
];

export function mutateText(rng: Rng, text: string, rounds = rng.int(1, 4)): string {
  let out = text;
  // Past the 8 MiB limit is worth reaching, not by hundreds of MB (they only slow the run).
  for (let i = 0; i < rounds; i++) out = rng.pick(MUTATORS)(rng, out).slice(0, 12_000_000);
  return out;
}

/** A few bytes flipped after UTF-8 encoding: invalid sequences the decoder must survive. */
export function corruptBytes(rng: Rng, text: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  for (let i = rng.int(1, 6); i > 0 && bytes.length > 0; i--)
    bytes[rng.int(0, bytes.length - 1)] = rng.pick([0x80, 0xc0, 0xff, 0xfe, 0xed, 0x00, 0xf4]);
  return bytes;
}
