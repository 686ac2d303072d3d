// The round trip of issue 19: web-worker-kv → kube generate → kube play answers HTTP as under up;
// play --down removes it; the PVC's data (kv's tick count) survives --down and a replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/web-worker-kv/compose.yaml', import.meta.url));
/** The tick count on the page; undefined while the page (or the port) is not there yet. */
const ticks = async (): Promise<number | undefined> => {
  try {
    const m = (await (await fetch('http://127.0.0.1:8080/')).text()).match(/the worker has ticked (\d+) times/);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls the page (up to 60 s, however slow the machine) until ok holds of its count. */
async function ticksUntil(ok: (n: number | undefined) => boolean, what: string): Promise<number> {
  const end = Date.now() + 60_000;
  let n = await ticks();
  while (!ok(n) && Date.now() < end) n = (await sleep(250), await ticks());
  assert.ok(n !== undefined && ok(n), `${what} within 60 s (the page shows ${n ?? 'no count'})`);
  return n;
}

test('web-worker-kv: generate, play, --down and replay keep the kv volume', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  // The compose file beside the manifests gives the root's cleanup (`down -v`) the same project name.
  const dir = e.project('web-worker-kv', { 'compose.yaml': readFileSync(EXAMPLE, 'utf8') });
  cpSync(join(dirname(EXAMPLE), 'kv'), join(dir, 'kv'), { recursive: true });
  const gen = await e.gantry(['kube', 'generate', '--allow-hostpath', '-o', 'k8s.yaml'], { cwd: dir });
  assert.equal(gen.exitCode, 0, gen.stderr);
  const play = await e.gantry(['kube', 'play', 'k8s.yaml', '--progress', 'quiet'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(play.exitCode, 0, play.stderr);
  const first = await ticksUntil((n) => (n ?? 0) >= 3, 'the worker ticks 3 times');
  const down = await e.gantry(['kube', 'play', 'k8s.yaml', '--down', '--progress', 'quiet'], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  assert.equal(down.exitCode, 0, down.stderr);
  await assert.rejects(fetch('http://127.0.0.1:8080/'));
  const again = await e.gantry(['kube', 'play', 'k8s.yaml', '--progress', 'quiet'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(again.exitCode, 0, again.stderr);
  // The first count that differs from what the page showed right after the replay is the new
  // worker's. Had kvdata been lost, it would count from 0 again: 1, not more than first.
  const stale = await ticks();
  const next = await ticksUntil((n) => n !== undefined && n !== stale, 'the replayed worker ticks');
  assert.ok(next > first, `the tick count restarted (${next} after ${first}): the kvdata volume did not survive`);
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
