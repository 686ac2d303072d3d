// What detection found in a folder: the language, answers it could read from the project's own
// files (by template variable name, as text), and the evidence, so init can say why.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Detection {
  readonly language: string;
  readonly values: Readonly<Record<string, string>>;
  /** `package.json + pnpm-lock.yaml` …: shown to the user before the questions. */
  readonly evidence: readonly string[];
}

export type Detector = (dir: string) => Detection | undefined;

/** A regular file's text (not a link, at most 1 MiB), or undefined. */
export function readSmall(dir: string, name: string): string | undefined {
  const p = join(dir, name);
  try {
    const st = lstatSync(p);
    return st.isFile() && st.size <= 1 << 20 ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export const has = (dir: string, name: string): boolean => existsSync(join(dir, name));

/** Names in `dir` ending with `suffix`, sorted. */
export function withSuffix(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith(suffix))
      .sort();
  } catch {
    return [];
  }
}

/** `>=20.1`, `^3.12`, `~1.22.3`, `v22` → `20.1`, `3.12`, `1.22.3`, `22`: the first version written. */
export function firstVersion(text: string | undefined, parts = 2): string | undefined {
  const m = text?.match(/(\d+)(?:\.(\d+))?(?:\.(\d+))?/);
  if (!m) return undefined;
  return [m[1], m[2], m[3]]
    .slice(0, parts)
    .filter((x) => x !== undefined)
    .join('.');
}
