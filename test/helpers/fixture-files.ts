// Reads an optional file of a fixture directory (error.txt, model.json, …).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const readFixtureFile = (dir: string, f: string): string | undefined =>
  existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined;
