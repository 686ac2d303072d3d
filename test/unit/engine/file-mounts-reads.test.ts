// engine/ops/file-mounts.ts: a container with no secret or config whose files directory does not
// exist resolves no real path (removeInside's realpathSync walks every component with a statx: 12 per
// container of an `up`, issue 20, bench/RESULTS.md "up13"); a leftover directory is still removed,
// and a service's secret is still written. On 3339708 each call resolved two real paths.
import fs, { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { materializeFiles, removeFiles } from '../../../src/engine/ops/file-mounts.ts';
import { inlineProject } from '../../helpers/inline-project.ts';

const dir = mkdtempSync(join(tmpdir(), 'gantry-file-mounts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Paths given to realpathSync while fn ran. */
function realpaths<T>(fn: () => T): { result: T; paths: string[] } {
  const paths: string[] = [];
  const real = fs.realpathSync;
  const counting = ((p: fs.PathLike, ...rest: unknown[]) => {
    paths.push(String(p));
    return (real as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.realpathSync;
  fs.realpathSync = Object.assign(counting, { native: real.native });
  syncBuiltinESMExports();
  try {
    return { result: fn(), paths };
  } finally {
    fs.realpathSync = real;
    syncBuiltinESMExports();
  }
}

test('no files directory, no secret: no real path resolved; a leftover directory still goes', async () => {
  const project = await inlineProject('services:\n  web: {image: busybox}\n');
  const svc = project.services['web']!;
  const projectDir = join(dir, 'plain');
  mkdirSync(projectDir);
  const none = realpaths(() => {
    for (const n of [1, 2, 3]) materializeFiles(project, projectDir, svc, `demo-web-${n}`);
    removeFiles(projectDir, 'demo-web-1');
  });
  assert.deepEqual(none.paths, [], 'realpathSync ran for containers with nothing to remove');
  const leftover = join(projectDir, 'files', 'demo-web-2');
  mkdirSync(leftover, { recursive: true });
  writeFileSync(join(leftover, '0-secret-old'), 'stale');
  const again = realpaths(() => materializeFiles(project, projectDir, svc, 'demo-web-2'));
  assert.deepEqual(again.result, []);
  assert.equal(existsSync(leftover), false, 'the leftover files directory stayed');
  assert.ok(again.paths.length > 0, 'the leftover was removed without the checks of removeInside');
});

test('a secret is still written where its mount says', async () => {
  const secret = join(dir, 'token.txt');
  writeFileSync(secret, 's3cret');
  const yaml = `services:\n  web: {image: busybox, secrets: [token]}\nsecrets:\n  token: {file: ${secret}}\n`;
  const project = await inlineProject(yaml);
  const projectDir = join(dir, 'secret');
  mkdirSync(projectDir);
  const [mount, ...rest] = materializeFiles(project, projectDir, project.services['web']!, 'demo-web-1');
  assert.deepEqual(rest, []);
  assert.equal(mount?.target, '/run/secrets/token');
  assert.equal(readFileSync(mount.source!, 'utf8'), 's3cret');
  removeFiles(projectDir, 'demo-web-1');
  assert.equal(existsSync(join(projectDir, 'files', 'demo-web-1')), false);
});
