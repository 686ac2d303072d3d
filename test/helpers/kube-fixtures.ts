// Loads a compose fixture and exports it, for the kube unit tests.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../src/project/index.ts';
import type { Project } from '../../src/project/model.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KUBE_FIXTURES = join(REPO, 'test/fixtures/kube');

export async function loadFixture(file: string, environment: Record<string, string> = {}): Promise<Project> {
  return loadProject({ files: [file], envFiles: [], profiles: [], environment, workingDir: dirname(file) });
}

/** Absolute paths of this checkout replaced by <repo>, so goldens hold in any worktree. */
export function portable(text: string): string {
  return text.replaceAll(REPO, '<repo>');
}

export function golden(path: string): string {
  return readFileSync(path, 'utf8');
}
