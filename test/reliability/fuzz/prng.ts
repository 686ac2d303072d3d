// A small seeded PRNG (mulberry32), so every fuzz case is a pure function of (seed, index) and a
// failure can be replayed from the two numbers it prints.
export interface Rng {
  readonly next: () => number; // [0, 1)
  readonly int: (min: number, max: number) => number; // inclusive
  readonly chance: (p: number) => boolean;
  readonly pick: <T>(items: readonly T[]) => T;
}

export function rngFor(seed: number, index: number): Rng {
  let a = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { next, int, chance: (p) => next() < p, pick: (items) => items[int(0, items.length - 1)]! };
}

export function randomSeed(): number {
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
