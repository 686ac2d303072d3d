// From an empty folder to a running stack and back, through the built CLI: `gantry init --yes`
// writes the static template (its base image pointed at the offline test image), `up --build
// --wait` builds it and waits for the healthcheck, the site answers over HTTP, and `down -v`
// leaves nothing on the host. A second init without --force changes nothing. The default answers
// include develop.watch rules, which up accepts (they are for gantry watch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { freePort } from '../helpers/registry.ts';

const IMG = 'gantry-test/busybox:latest';

/** Every path with its mtime and content: what a second init must leave exactly as it was. */
const snapshot = (dir: string): string[] =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f} ${st.mtimeMs} ${st.isFile() ? readFileSync(join(dir, f), 'utf8') : 'dir'}`;
    });
const FILES = ['Dockerfile', 'compose.yaml', '.dockerignore', '.env', '.env.example', 'README.md', 'public/index.html'];

test('init --yes → up --build --wait → HTTP answer → down -v: nothing left', { timeout: 300_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const port = await freePort();
  const project = `init${process.pid}`;
  const dir = r.project(project, {});
  const answers = ['--yes', '--template', 'static', '--set', `image=${IMG}`, '--host-port', String(port)];
  const init = await r.gantry(['init', ...answers], { cwd: dir });
  assert.equal(init.exitCode, 0, init.stderr);
  for (const f of FILES) assert.match(init.stdout, new RegExp(`^created ${f.replace('.', '\\.')}$`, 'm'));
  const before = snapshot(dir);
  const again = await r.gantry(['init', ...answers], { cwd: dir });
  assert.equal(again.exitCode, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /^(created|overwrote) /m);
  assert.deepEqual(snapshot(dir), before);

  const up = await r.gantry(['up', '--build', '-d', '--wait'], { cwd: dir, timeoutMs: 240_000 });
  assert.equal(up.exitCode, 0, up.stderr);
  const traces = tracesOf(r.root, project);
  assert.ok(traces.containers.length > 0, 'the app container exists while up');
  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  assert.match(page, new RegExp(`<h1>${project}</h1>`));
  const ps = await r.gantry(['ps', '--format', 'json'], { cwd: dir });
  assert.match(ps.stdout, /healthy/);

  const down = await r.gantry(['down', '-v', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(stillThere(traces, r.root), []);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
});

const CI_TITLE = 'a tests service: up --build --exit-code-from tests exits with the suite status (0, then 1)';
test(CI_TITLE, { timeout: 300_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const port = await freePort();
  const project = `initci${process.pid}`;
  const dir = r.project(project, {});
  const answers = ['--yes', '-t', 'static', '--set', `image=${IMG}`, '--host-port', String(port)];
  answers.push('--set', 'tests=true');
  assert.equal((await r.gantry(['init', ...answers], { cwd: dir })).exitCode, 0);
  const pass = await r.gantry(['up', '--build', '--exit-code-from', 'tests'], { cwd: dir, timeoutMs: 240_000 });
  assert.equal(pass.exitCode, 0, pass.stderr);
  const missing = ['--force', '--set', 'test_command=wget -q -O /dev/null http://app:8080/missing.html'];
  assert.equal((await r.gantry(['init', ...answers, ...missing], { cwd: dir })).exitCode, 0);
  const fail = await r.gantry(['up', '--build', '--exit-code-from', 'tests'], { cwd: dir, timeoutMs: 240_000 });
  assert.equal(fail.exitCode, 1, fail.stderr);
  assert.equal((await r.gantry(['down', '-v', '-t', '1'], { cwd: dir })).exitCode, 0);
});
