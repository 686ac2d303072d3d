// The valid (and deliberately invalid) projects under test/fixtures/compose/, as seeds for the
// mutators: every file of each project directory except the expected-result files.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SeedProject {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>; // relative path → text
}

const ROOT = fileURLToPath(new URL('../../fixtures/compose', import.meta.url));
const EXPECTATIONS = new Set(['error.txt', 'merged.json', 'model.json', 'args.json', 'positions.json', '.keep']);

function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || EXPECTATIONS.has(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

let cache: SeedProject[] | undefined;
export function seedProjects(): SeedProject[] {
  cache ??= readdirSync(ROOT)
    .flatMap((group) =>
      readdirSync(join(ROOT, group)).map((name) => ({
        name: `${group}/${name}`,
        files: filesOf(join(ROOT, group, name)),
      })),
    )
    .filter((p) => Object.keys(p.files).some((f) => /\.ya?ml$/.test(f)));
  return cache;
}
