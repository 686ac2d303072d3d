// A build context for e2e build tests: a directory under the test's root with the given files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eRoot } from './engine-e2e.ts';

export function buildContext(r: E2eRoot, name: string, files: Record<string, string>): string {
  const dir = join(r.root, 'ctx', name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

/** The plain output lines of RUN steps (`#N text` with --progress plain), without step headers and verdicts. */
export const runOutput = (stderr: string): string[] =>
  stderr.split('\n').flatMap((l) => {
    const m = /^#\d+ (.*)$/.exec(l);
    return m && !/^(\[|CACHED$|DONE )/.test(m[1]!) ? [m[1]!] : [];
  });
