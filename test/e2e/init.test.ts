// From an empty folder to a running stack and back, through the built CLI: `gantry init --yes`
// writes the static template (its base image pointed at the offline test image), `up --build
// --wait` builds it and waits for the healthcheck, the site answers over HTTP, and `down -v`
// leaves nothing on the host. A second init without --force changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { freePort } from '../helpers/registry.ts';

const IMG = 'gantry-test/busybox:latest';

const snapshot = (dir: string): string[] =>
  readdirSync(dir, { recursive: true }).map(String).sort().map((f) => `${f} ${statSync(join(dir, f)).mtimeMs} ${statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), 'utf8').length : 'dir'}`);

test('init --yes → up --build --wait → HTTP answer → down -v: nothing left', { timeout: 300_000 }, async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const port = await freePort();
  const project = `init${process.pid}`;
  const dir = r.project(project, {});
  const init = await r.gantry(['init', '--yes', '--template', 'static', '--set', `image=${IMG}`, '--host-port', String(port), '--set', 'watch=false'], { cwd: dir });
  assert.equal(init.exitCode, 0, init.stderr);
  for (const f of ['Dockerfile', 'compose.yaml', '.dockerignore', '.env', '.env.example', 'README.md', 'public/index.html']) {
    assert.match(init.stdout, new RegExp(`^created ${f.replace('.', '\\.')}$`, 'm'));
  }
  const before = snapshot(dir);
  const again = await r.gantry(['init', '--yes', '--template', 'static', '--set', `image=${IMG}`, '--host-port', String(port), '--set', 'watch=false'], { cwd: dir });
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
