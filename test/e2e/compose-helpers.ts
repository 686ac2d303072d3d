// Shared by the compose-fidelity e2e files: a project of one idle service, up and running.
import assert from 'node:assert/strict';
import type { E2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, uniq } from './lifecycle-helpers.ts';

/** A project named for `tag` whose service `app` sleeps; `up -d` done. */
export async function idleApp(e: E2eRoot, tag: string): Promise<{ name: string; dir: string }> {
  const name = uniq(tag);
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  app: {image: ${IMG}, command: ["sleep", "3600"], init: true}\n`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  return { name, dir };
}
