// Generated files are checked before any is written: each Dockerfile by the build's own parser
// (a parser warning is an error here: generated text has no excuse for an empty continuation
// line, which silently glues the next instruction onto a RUN), each .dockerignore by its
// matcher, and the compose file by gantry's loader (schema, normalize, cross-field checks) on a
// private staging copy, so a broken template never touches DIR. Every build target the compose
// file names must be a stage of its Dockerfile.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { ConfigError } from '../common/errors.ts';
import { removeInside } from '../common/remove-inside.ts';
import { parseDockerfile } from '../build/dockerfile/parse.ts';
import type { Dockerfile } from '../build/dockerfile/types.ts';
import { IgnoreMatcher, readIgnoreFile } from '../build/context/dockerignore.ts';
import { loadProject } from '../project/index.ts';
import type { Project } from '../project/model.ts';
import type { RenderedFile } from './render.ts';

export const COMPOSE_FILE = 'compose.yaml';
export const isDockerfile = (path: string): boolean => /(^|\/)(Dockerfile(\.[\w.-]+)?|[\w.-]+\.Dockerfile)$/.test(path);

export interface CheckResult {
  /** Warnings of the loader (for example a field gantry does not implement yet). */
  readonly warnings: readonly string[];
}

function checkDockerfile(label: string, f: RenderedFile): Dockerfile {
  const df = parseDockerfile(f.text, { file: `template ${label}: ${f.path}` });
  if (df.warnings.length > 0) throw new ConfigError(`template ${label}: ${f.path}: ${df.warnings[0]}`);
  return df;
}

export async function checkOutput(
  label: string,
  files: readonly RenderedFile[],
  projectName: string,
): Promise<CheckResult> {
  const dockerfiles = new Map<string, Dockerfile>();
  for (const f of files) {
    if (isDockerfile(f.path)) dockerfiles.set(f.path, checkDockerfile(label, f));
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
      files: [join(stage, COMPOSE_FILE)],
      projectName,
      envFiles: [],
      profiles: [],
      environment: {},
      workingDir: stage,
    }).catch((err: unknown) => {
      const text = err instanceof Error ? err.message.replaceAll(`${stage}/`, '') : String(err);
      throw new ConfigError(`template ${label}: the generated ${COMPOSE_FILE} does not load: ${text}`);
    });
    checkTargets(label, project, stage, dockerfiles);
    return { warnings: project.warnings };
  } finally {
    removeInside(tmpdir(), stage);
  }
}

/** A `build.target` with no such stage would fail only at `up --build`; here it fails the template. */
function checkTargets(
  label: string,
  project: Project,
  stage: string,
  dockerfiles: ReadonlyMap<string, Dockerfile>,
): void {
  for (const [name, svc] of Object.entries(project.services)) {
    const b = svc.build;
    if (b === undefined || b.dockerfile_inline !== undefined) continue;
    const path = relative(stage, join(b.context, b.dockerfile ?? 'Dockerfile'));
    const df = dockerfiles.get(path);
    if (df === undefined) continue; // a Dockerfile the project already has: not ours to check
    if (b.target !== undefined && !df.stages.some((s) => s.from.stageName === b.target?.toLowerCase())) {
      throw new ConfigError(`template ${label}: services.${name}.build.target: ${path} has no stage "${b.target}"`);
    }
  }
}
