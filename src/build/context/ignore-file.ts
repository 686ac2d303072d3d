// Which ignore file applies: `<Dockerfile>.dockerignore` beside the Dockerfile wins over the
// context's `.dockerignore` (BuildKit). The Dockerfile and the ignore file are read by the build
// whatever the patterns say; COPY sees them only if the patterns do not exclude them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readIgnoreFile } from './dockerignore.ts';

export interface IgnoreSource {
  /** The file the patterns came from, undefined when neither exists. */
  readonly file: string | undefined;
  readonly patterns: readonly string[];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function loadIgnorePatterns(contextDir: string, dockerfilePath?: string): Promise<IgnoreSource> {
  const candidates = [...(dockerfilePath ? [`${dockerfilePath}.dockerignore`] : []), join(contextDir, '.dockerignore')];
  for (const file of candidates) {
    const text = await readIfExists(file);
    if (text !== undefined) return { file, patterns: readIgnoreFile(text) };
  }
  return { file: undefined, patterns: [] };
}
