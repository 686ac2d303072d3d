// The round trip of issue 19: web-worker-kv → kube generate → kube play answers HTTP as under up;
// play --down removes it; the PVC's data (kv's tick count) survives --down and a replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/web-worker-kv/compose.yaml', import.meta.url));
const ticks = async (): Promise<number> => {
  const page = await (await fetch('http://127.0.0.1:8080/')).text();
  const m = page.match(/the worker has ticked (\d+) times/);
  assert.ok(m, page);
  return Number(m[1]);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('web-worker-kv: generate, play, --down and replay keep the kv volume', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  // The compose file beside the manifests gives the root's cleanup (`down -v`) the same project name.
  const dir = e.project('web-worker-kv', { 'compose.yaml': readFileSync(EXAMPLE, 'utf8') });
  cpSync(join(dirname(EXAMPLE), 'kv'), join(dir, 'kv'), { recursive: true });
  const gen = await e.gantry(['kube', 'generate', '--allow-hostpath', '-o', 'k8s.yaml'], { cwd: dir });
  assert.equal(gen.exitCode, 0, gen.stderr);
  const play = await e.gantry(['kube', 'play', 'k8s.yaml', '--progress', 'quiet'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(play.exitCode, 0, play.stderr);
  await sleep(5000);
  const first = await ticks();
  assert.ok(first >= 3, `only ${first} ticks`);
  const down = await e.gantry(['kube', 'play', 'k8s.yaml', '--down', '--progress', 'quiet'], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  assert.equal(down.exitCode, 0, down.stderr);
  await assert.rejects(fetch('http://127.0.0.1:8080/'));
  const again = await e.gantry(['kube', 'play', 'k8s.yaml', '--progress', 'quiet'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(again.exitCode, 0, again.stderr);
  await sleep(1500);
  // Had kvdata been lost, the worker would count from 0 again (≤ 2 ticks by now).
  assert.ok((await ticks()) > first, 'the tick count restarted: the kvdata volume did not survive');
  const end = await e.gantry(['kube', 'play', 'k8s.yaml', '--down', '-v', '--progress', 'quiet'], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  assert.equal(end.exitCode, 0, end.stderr);
});

const RT = fileURLToPath(new URL('../fixtures/kube/round-trip', import.meta.url));

test('round-trip fixture: job, healthy dependency, volume, secret, and isolation between networks', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const dir = e.project('kube-rt', { 'compose.yaml': readFileSync(join(RT, 'compose.yaml'), 'utf8') });
  cpSync(join(RT, 'token.txt'), join(dir, 'token.txt'));
  assert.equal((await e.gantry(['kube', 'generate', '-o', 'k8s.yaml'], { cwd: dir })).exitCode, 0);
  const play = await e.gantry(['kube', 'play', 'k8s.yaml', '--progress', 'quiet'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(play.exitCode, 0, play.stderr);
  // `exec` reads compose.yaml in dir: the same project name and services as the played manifests.
  const get = (from: string, url: string) =>
    e.gantry(['exec', '-T', from, 'timeout', '5', 'wget', '-q', '-O', '-', url], { cwd: dir });
  let seeded = '';
  for (let i = 0; i < 20 && !seeded.includes('seeded'); i++) {
    seeded = (await get('api', 'http://db/seed')).stdout;
    if (!seeded.includes('seeded')) await sleep(500);
  }
  assert.match(seeded, /seeded/, 'api (front+back) reads what the seed job wrote, through db');
  assert.match((await get('api', 'http://db/token')).stdout, /tok-123/, 'the Secret reached db as /run/secrets/token');
  assert.equal((await get('edge', 'http://api/etc/hostname')).exitCode, 0, 'edge and api share front');
  const blocked = await get('edge', 'http://db/seed');
  assert.notEqual(blocked.exitCode, 0, 'edge is not on back: db must be unreachable from it');
  const down = await e.gantry(['kube', 'play', 'k8s.yaml', '--down', '-v', '--progress', 'quiet'], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  assert.equal(down.exitCode, 0, down.stderr);
});
