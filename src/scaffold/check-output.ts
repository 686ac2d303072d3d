// Generated files are checked before any is written: each Dockerfile by the build's own parser,
// each .dockerignore by its matcher, and the compose file by gantry's loader (schema, normalize,
// cross-field checks), run on a private staging copy so a broken template never touches DIR.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../common/errors.ts';
import { removeInside } from '../common/remove-inside.ts';
import { parseDockerfile } from '../build/dockerfile/parse.ts';
import { IgnoreMatcher, readIgnoreFile } from '../build/context/dockerignore.ts';
import { loadProject } from '../project/index.ts';
import type { RenderedFile } from './render.ts';

export const COMPOSE_FILE = 'compose.yaml';
export const isDockerfile = (path: string): boolean => /(^|\/)(Dockerfile(\.[\w.-]+)?|[\w.-]+\.Dockerfile)$/.test(path);

export interface CheckResult {
  /** Warnings of the loader (for example a field gantry does not implement yet). */
  readonly warnings: readonly string[];
}

export async function checkOutput(label: string, files: readonly RenderedFile[], projectName: string): Promise<CheckResult> {
  for (const f of files) {
    if (isDockerfile(f.path)) parseDockerfile(f.text, { file: `${label}: ${f.path}` });
    if (basename(f.path) === '.dockerignore' || f.path.endsWith('.dockerignore')) {
      try {
        new IgnoreMatcher(readIgnoreFile(f.text));
      } catch (err) {
        throw new ConfigError(`template ${label}: ${f.path}: ${(err as Error).message}`);
      }
    }
  }
  if (!files.some((f) => f.path === COMPOSE_FILE)) return { warnings: [] };
  const stage = mkdtempSync(join(tmpdir(), 'gantry-init-'));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(stage, f.path)), { recursive: true });
      writeFileSync(join(stage, f.path), f.text, { mode: 0o600 });
    }
    // The process environment stays out: the file must stand on its own .env, as it will in DIR.
    const project = await loadProject({
      files: [join(stage, COMPOSE_FILE)], projectName, envFiles: [], profiles: [], environment: {}, workingDir: stage,
    }).catch((err: unknown) => {
      const text = err instanceof Error ? err.message.replaceAll(`${stage}/`, '') : String(err);
      throw new ConfigError(`template ${label}: the generated ${COMPOSE_FILE} does not load: ${text}`);
    });
    return { warnings: project.warnings };
  } finally {
    removeInside(tmpdir(), stage);
  }
}
