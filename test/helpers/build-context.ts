// A build context for e2e build tests: a directory under the test's root with the given files,
// and a build of it started in the background, returned once its first RUN runs.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from './cli.ts';
import type { E2eRoot } from './engine-e2e.ts';

export function buildContext(r: E2eRoot, name: string, files: Record<string, string>): string {
  const dir = join(r.root, 'ctx', name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

/** `image build DIR` in the background, returned a second after its RUN container appeared (the RUN runs). */
export async function startBuild(r: E2eRoot, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [GANTRY_BIN, 'image', 'build', dir], { env: r.env, stdio: 'ignore' });
  const containers = join(r.root, 'containers');
  const deadline = Date.now() + 120_000;
  while (!(existsSync(containers) && readdirSync(containers).some((n) => n.startsWith(`build-${child.pid}-`)))) {
    assert.ok(Date.now() < deadline, 'the RUN container never appeared');
    await new Promise((res) => setTimeout(res, 100));
  }
  await new Promise((res) => setTimeout(res, 1000));
  return child;
}

/** The plain output lines of RUN steps (`#N text` with --progress plain), without step headers and verdicts. */
export const runOutput = (stderr: string): string[] =>
  stderr.split('\n').flatMap((l) => {
    const m = /^#\d+ (.*)$/.exec(l);
    return m && !/^(\[|CACHED$|DONE )/.test(m[1]!) ? [m[1]!] : [];
  });
