// Writes a fuzz case's project into a fresh temporary directory (the caller removes it).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FuzzCase } from './compose-cases.ts';

export function writeCase(c: FuzzCase): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-fuzz-${process.pid}-`));
  for (const [name, content] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The environment every run of a case gets, in-process or through the real CLI. */
export const caseEnv = (c: FuzzCase): Record<string, string> => ({
  PATH: '/usr/bin:/bin',
  HOME: '/nonexistent',
  ...c.env,
});
