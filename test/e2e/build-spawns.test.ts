// The processes an `image build` starts, counted: on a loaded 2-core host each spawn from the CLI
// (a fork of a ~90 MB process) costs it 5–25 ms of its own time, most of an edited build's
// budget (issue 16: ≤ 0.5 s). A layer gantry writes itself (COPY from the context, WORKDIR) has no
// xattrs to list, so a FROM scratch build starts no process at all; a RUN's layer is listed by the
// shim that ran it (build.test.ts checks what the listing carries: the opaque dir's marker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { ensureTestImages, TEST_IMAGE_REF } from '../helpers/test-images.ts';
import { shortId } from '../../src/engine/translate/to-spec.ts';

// Preloaded: every process the CLI spawns (execFile and spawn both end in ChildProcess#spawn); a
// /bin/sh launcher by its $0 (gantry-ip: network batches, gantry-shim-spawner: the shims).
const HOOK = `
const { ChildProcess } = require('node:child_process');
const spawn = ChildProcess.prototype.spawn; const seen = [];
ChildProcess.prototype.spawn = function (o) { seen.push(o.args[0] === '/bin/sh' ? o.args[3] : o.args.slice(0, 2).join(' ')); return spawn.call(this, o); };
process.on('exit', () => process.stderr.write('pid: ' + process.pid + '\\nspawned: ' + JSON.stringify(seen) + '\\n'));
`;

interface Spawns {
  readonly spawned: readonly string[];
  /** The build's pid. */
  readonly pid: number;
  /** The state root's pooled build namespaces before and after the build, its lease files, and what prune left. */
  readonly pool: { before: string[]; after: string[]; leases: string[]; pruned: string[] };
}

/** The pooled build namespaces of a state root (engine/ops/build-network.ts names them). */
const poolOf = (root: string): string[] =>
  readdirSync('/run/netns').filter((n) => n.startsWith(`gantry-b${shortId(root).slice(0, 8)}-pool-`));

/**
 * Builds ctx/ (files: name → content) in a fresh state root; returns what the build spawned.
 * warmup: a Dockerfile built first, uncounted (the build bridge made once per state root).
 */
function spawnsOf(files: Readonly<Record<string, string>>, load?: string, warmup?: string): Spawns {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-build-spawns-'));
  const env = { ...process.env, GANTRY_ROOT: join(dir, 'root') };
  try {
    writeFileSync(join(dir, 'hook.cjs'), HOOK);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, 'ctx', name, '..'), { recursive: true });
      writeFileSync(join(dir, 'ctx', name), text);
    }
    if (load !== undefined) {
      const l = spawnSync(process.execPath, [GANTRY_BIN, 'image', 'load', '-i', load], { env, encoding: 'utf8' });
      assert.equal(l.status, 0, l.stderr);
    }
    if (warmup !== undefined) {
      mkdirSync(join(dir, 'warm'));
      writeFileSync(join(dir, 'warm', 'Dockerfile'), warmup);
      const w = spawnSync(process.execPath, [GANTRY_BIN, 'image', 'build', 'warm'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      assert.equal(w.status, 0, w.stderr);
    }
    const root = env.GANTRY_ROOT;
    const before = poolOf(root);
    const r = spawnSync(process.execPath, ['-r', join(dir, 'hook.cjs'), GANTRY_BIN, 'image', 'build', 'ctx'], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /writing image/);
    const spawned = JSON.parse(/spawned: (.*)/.exec(r.stderr)![1]!) as string[];
    const after = poolOf(root);
    const leaseDir = join(root, 'build', 'netns-pool');
    const leases = existsSync(leaseDir) ? readdirSync(leaseDir) : [];
    const p = spawnSync(process.execPath, [GANTRY_BIN, 'network', 'prune'], { env, encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const pool = { before, after, leases, pruned: poolOf(root) };
    return { spawned, pid: Number(/pid: (\d+)/.exec(r.stderr)![1]), pool };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a FROM scratch build with WORKDIR and COPY starts no process', () => {
  const files = { 'a.txt': 'a\n', 'sub/b.txt': 'b\n', Dockerfile: 'FROM scratch\nWORKDIR /app\nCOPY a.txt sub ./\n' };
  assert.deepEqual(spawnsOf(files).spawned, []);
});

test('RUNs without network start their shims through the spawner: the shim lists the layer xattrs', () => {
  const files = {
    Dockerfile: `FROM ${TEST_IMAGE_REF}\nRUN --network=none rm -rf /opq && mkdir /opq\nRUN --network=none touch /b\n`,
  };
  const { spawned } = spawnsOf(files, ensureTestImages().dockerArchive);
  // Each shim is forked by the one /bin/sh spawner, not by the CLI (a fork of the whole CLI each);
  // a second spawner only when the first was left idle 200 ms between the two RUNs (a loaded host).
  assert.ok(spawned.length >= 1 && spawned.length <= 2, spawned.join(', '));
  for (const s of spawned) assert.equal(s, 'gantry-shim-spawner', spawned.join(', '));
});

test('a RUN on the build bridge reuses the pooled namespace: no network process once it is made', () => {
  const files = { Dockerfile: `FROM ${TEST_IMAGE_REF}\nRUN ip addr show eth0 | grep -q 'inet ' && touch /joined\n` };
  const { spawned, pid, pool } = spawnsOf(
    files,
    ensureTestImages().dockerArchive,
    `FROM ${TEST_IMAGE_REF}\nRUN true\n`,
  );
  // The warm-up build joined the pool's namespace to the build bridge (the attach's one `ip` run);
  // this one leases it: before the pool, every build made its own (an `ip` run) and deleted it
  // after (another), each a fork of the CLI, with three turns of the host-wide network lock.
  assert.deepEqual(spawned, ['gantry-shim-spawner']);
  assert.deepEqual(pool.before, pool.after, 'the same pooled namespace, kept for the next build');
  assert.equal(pool.after.length, 1, pool.after.join(', '));
  assert.deepEqual(pool.leases, [], 'the lease is given back');
  assert.deepEqual(pool.pruned, [], 'network prune removes the pooled namespace');
  const left = readdirSync('/run/netns').filter((n) => n.startsWith('gantry-b') && n.includes(`-${pid}-`));
  assert.deepEqual(left, [], 'no namespace of its own');
});

test('the first RUN on the build bridge of a state root makes the pooled namespace; none is deleted after', () => {
  const files = { Dockerfile: `FROM ${TEST_IMAGE_REF}\nRUN ip addr show eth0 | grep -q 'inet ' && touch /joined\n` };
  const { spawned, pool } = spawnsOf(files, ensureTestImages().dockerArchive);
  // The bridge is made first (the shim's netlink executor and the rules); the attach's host batch,
  // the executor again, makes the namespace (netns add); no `ip` runs, and no process runs after the
  // RUN: the namespace stays for the next build.
  assert.equal(spawned.filter((s) => s.endsWith('gantry-shim netlink')).length, 2, spawned.join(', '));
  assert.deepEqual(
    spawned.filter((s) => s === 'gantry-ip' || /^ip\b/.test(s)),
    [],
    spawned.join(', '),
  );
  assert.equal(spawned.at(-1), 'gantry-shim-spawner', spawned.join(', '));
  assert.deepEqual(pool.before, []);
  assert.equal(pool.after.length, 1, pool.after.join(', '));
  assert.deepEqual(pool.pruned, [], 'network prune removes it');
});
