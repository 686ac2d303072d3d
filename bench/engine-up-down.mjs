// Times `gantry up -d` (until every service runs and its port answers) and `gantry down` for a
// 1-service and a 10-service stack (bench/stacks.mjs: one bridge network, one named volume, one
// published port,
// depends_on chain of depth 3). Root, offline (busybox test image). Medians of N runs.
//   node bench/engine-up-down.mjs [runs=7]        (build first: npm run build)
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
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 7);
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
const PORT = 18000 + (process.pid % 1000);

const gantry = (dir, args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
};
const answers = (host, port) => new Promise((r) => { const s = connect({ host, port }, () => (s.end(), r(true))); s.on('error', () => r(false)); });

async function allAnswer(name) {
  const set = JSON.parse(readFileSync(join(root, 'projects', name, 'supervision.json'), 'utf8'));
  const stub = readFileSync(join(REPO, 'dist/engine/supervisor/index.js'), 'utf8').includes('SUPERVISOR_STUB');
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
  const ups = [];
  const downs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    gantry(dir, ['up', '-d', '--progress', 'quiet']);
    await allAnswer(name);
    ups.push(performance.now() - t0);
    const t1 = performance.now();
    gantry(dir, ['down', '--progress', 'quiet']);
    downs.push(performance.now() - t1);
  }
  return { n, up: median(ups), down: median(downs), ups, downs };
}

try {
  const tar = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
  execFileSync('sh', [join(REPO, 'scripts/make-test-images.sh')], { stdio: 'ignore' });
  gantry(root, ['image', 'load', '-i', tar]);
  for (const n of [1, 10]) {
    const r = await bench(n);
    console.log(`${n} service(s): up -d median ${r.up.toFixed(0)} ms (${r.ups.map((x) => x.toFixed(0)).join(' ')}), down median ${r.down.toFixed(0)} ms (${r.downs.map((x) => x.toFixed(0)).join(' ')})`);
  }
} finally {
  for (const n of [1, 10]) spawnSync(process.execPath, [BIN, 'down', '-v'], { cwd: join(root, `bench${n}`), env });
  rmSync(root, { recursive: true, force: true });
}
