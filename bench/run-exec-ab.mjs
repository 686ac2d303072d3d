// A/B of the two fixed-cost rows of issue 20 (`container run --rm IMAGE true`, `exec -T SERVICE true`)
// between builds, interleaved run by run with `node -e 0`, so a loaded machine's drift hits every
// build alike. Wall and CPU (user + sys of gantry and the processes it waited for, GNU time) medians.
// Root, offline (busybox test image). Each build gets its own state root.
//   GANTRY_BENCH_BINS=/a/bin/gantry.js:/b/bin/gantry.js node bench/run-exec-ab.mjs [runs=15]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BINS = (process.env.GANTRY_BENCH_BINS || join(REPO, 'bin/gantry.js')).split(':');
const RUNS = Number(process.argv[2] ?? 15);
const IMG = 'gantry-test/busybox:latest';
const ARCHIVE = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs one command under GNU time: wall ms (ours) and CPU ms (time's). */
function timed(cwd, env, file, args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', file, ...args], { cwd, env, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
  const [u, s] = r.stderr.trim().split('\n').pop().split(' ').slice(1).map(Number);
  return { wall, cpu: (u + s) * 1000 };
}

const builds = BINS.map((bin, i) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-ab${i}-`));
  const env = { ...process.env, GANTRY_ROOT: root };
  const dir = join(root, 'p');
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yaml'), `services:\n  s1: {image: ${IMG}, command: ["sleep", "3600"]}\n`);
  const g = (args) => timed(dir, env, process.execPath, [bin, ...args]);
  g(['image', 'load', '-i', ARCHIVE]);
  g(['up', '-d', '--progress', 'quiet']);
  g(['container', 'run', '--rm', IMG, 'true']); // page cache, code cache
  return { bin, root, dir, g, run: [], exec: [] };
});
const node = [];
try {
  for (let i = 0; i < RUNS; i++) {
    node.push(timed(REPO, process.env, process.execPath, ['-e', '0']));
    for (const b of builds) {
      b.run.push(b.g(['container', 'run', '--rm', IMG, 'true']));
      b.exec.push(b.g(['exec', '-T', 's1', 'true']));
    }
  }
  const fmt = (xs) => `${Math.round(median(xs.map((x) => x.wall)))} / ${Math.round(median(xs.map((x) => x.cpu)))} ms`;
  console.log(`${new Date().toISOString()} ${RUNS} runs, load ${(await import('node:os')).loadavg().join(' ')}`);
  console.log(`node -e 0 wall / CPU: ${fmt(node)}`);
  console.log('| build | container run --rm (wall / CPU) | exec -T (wall / CPU) |');
  console.log('|---|---|---|');
  for (const b of builds) console.log(`| ${b.bin} | ${fmt(b.run)} | ${fmt(b.exec)} |`);
} finally {
  for (const b of builds) {
    const env = { ...process.env, GANTRY_ROOT: b.root };
    spawnSync(process.execPath, [b.bin, 'down', '-t', '0'], { cwd: b.dir, env });
    // `container run`'s default bridge outlives its containers (as docker0): removed with the root's networks.
    spawnSync(process.execPath, [b.bin, 'network', 'prune'], { cwd: b.dir, env });
    rmSync(b.root, { recursive: true, force: true });
  }
}
