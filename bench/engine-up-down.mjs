// Times `gantry up -d` (until every service runs and its port answers) and `gantry down` for a
// 1-service and a 10-service stack (bench/stacks.mjs: one bridge network, one named volume, one
// published port,
// depends_on chain of depth 3). Root, offline (busybox test image). Medians of N runs.
//   node bench/engine-up-down.mjs [runs=7]        (build first: npm run build)
// A/B: GANTRY_BENCH_BINS=/path/a/bin/gantry.js:/path/b/bin/gantry.js interleaves the builds run
// by run on the same stacks (the machine is shared and noisy; interleaving spreads the noise).
// Before the supervisor is merged, "port answers" is checked on the container's own address
// (nothing proxies 127.0.0.1 yet); with the supervisor, on the published 127.0.0.1 port.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stack } from './stacks.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BINS = (process.env.GANTRY_BENCH_BINS || join(REPO, 'bin/gantry.js')).split(':');
const BIN = BINS[0];
const RUNS = Number(process.argv[2] ?? 7);
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
const PORT = 18000 + (process.pid % 1000);
// GANTRY_BENCH_SIZES=1,10,30 picks the stacks' sizes (default 1 and 10).
const SIZES = (process.env.GANTRY_BENCH_SIZES || '1,10').split(',').map(Number);

// CPU time (user + sys of gantry and the ip/iptables processes it waited for, GNU time) is the
// steadier figure on a shared machine; the detached supervisor is not in it.
const gantry = (dir, args, bin = BIN) => {
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, bin, ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
  const [u, s] = r.stderr.trim().split('\n').pop().split(' ').slice(1).map(Number);
  return (u + s) * 1000;
};
const answers = (host, port) =>
  new Promise((r) => {
    const s = connect({ host, port }, () => (s.end(), r(true)));
    s.on('error', () => r(false));
  });

async function allAnswer(name) {
  const set = JSON.parse(readFileSync(join(root, 'projects', name, 'supervision.json'), 'utf8'));
  const stub = readFileSync(join(REPO, 'dist/supervisor/index.js'), 'utf8').includes('SUPERVISOR_STUB');
  const targets = set.containers.map((c) => [c.endpoints[0].address, 80]);
  if (!stub) targets.push(['127.0.0.1', PORT]);
  for (const [h, p] of targets) while (!(await answers(h, p))) await new Promise((r) => setTimeout(r, 2));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bench(n) {
  const name = `bench${n}`;
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yaml'), stack(name, n, { image: IMG, port: PORT }));
  const ups = BINS.map(() => []);
  const downs = BINS.map(() => []);
  const cpus = BINS.map(() => ({ up: [], down: [] }));
  for (let i = 0; i < RUNS; i++) {
    for (const [b, bin] of BINS.entries()) {
      const t0 = performance.now();
      cpus[b].up.push(gantry(dir, ['up', '-d', '--progress', 'quiet'], bin));
      await allAnswer(name);
      ups[b].push(performance.now() - t0);
      const t1 = performance.now();
      cpus[b].down.push(gantry(dir, ['down', '--progress', 'quiet'], bin));
      downs[b].push(performance.now() - t1);
    }
  }
  return BINS.map((bin, b) => ({
    n,
    bin,
    up: median(ups[b]),
    down: median(downs[b]),
    ups: ups[b],
    downs: downs[b],
    cpuUp: median(cpus[b].up),
    cpuDown: median(cpus[b].down),
  }));
}

try {
  const tar = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
  execFileSync('sh', [join(REPO, 'scripts/make-test-images.sh')], { stdio: 'ignore' });
  gantry(root, ['image', 'load', '-i', tar]);
  for (const n of SIZES) {
    for (const r of await bench(n))
      console.log(
        `${BINS.length > 1 ? `${r.bin}: ` : ''}${n} service(s): up -d median ${r.up.toFixed(0)} ms (${r.ups.map((x) => x.toFixed(0)).join(' ')}), down median ${r.down.toFixed(0)} ms (${r.downs.map((x) => x.toFixed(0)).join(' ')}); CPU median up ${r.cpuUp.toFixed(0)} ms, down ${r.cpuDown.toFixed(0)} ms`,
      );
  }
} finally {
  for (const n of SIZES) spawnSync(process.execPath, [BIN, 'down', '-v'], { cwd: join(root, `bench${n}`), env });
  rmSync(root, { recursive: true, force: true });
}
