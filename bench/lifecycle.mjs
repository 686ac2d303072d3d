// Times the lifecycle commands on a running 5-service stack (depends_on chain, restart: always,
// PID 1 traps TERM so stop needs no SIGKILL): pause, unpause, stop, start, restart, top — each a
// fresh CLI process, wall time. Root, offline (busybox test image). Medians of N runs.
//   node bench/lifecycle.mjs [runs=7]        (build first: node scripts/build.mjs)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 7);
const N = 5;
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-lc-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
const dir = join(root, 'benchlc');

const gantry = (args) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
  return performance.now() - t0;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  mkdirSync(dir);
  const loop = `trap 'exit 0' TERM; while true; do sleep 0.1; done`;
  const svc = (i) => [
    `  s${i}:`,
    `    image: ${IMG}`,
    '    restart: always',
    `    command: ["sh", "-c", "${loop}"]`,
    ...(i > 1 ? [`    depends_on: [s${i - 1}]`] : []),
  ];
  writeFileSync(
    join(dir, 'compose.yaml'),
    [`name: benchlc`, 'services:', ...Array.from({ length: N }, (_, i) => svc(i + 1)).flat(), ''].join('\n'),
  );
  const tar = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
  execFileSync('sh', [join(REPO, 'scripts/make-test-images.sh')], { stdio: 'ignore' });
  spawnSync(process.execPath, [BIN, 'image', 'load', '-i', tar], { env });
  gantry(['up', '-d', '--progress', 'quiet']);
  const cases = [['pause'], ['unpause'], ['stop', '-t', '5'], ['start'], ['restart', '-t', '5'], ['top']];
  const times = new Map(cases.map((c) => [c[0], []]));
  for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c[0]).push(gantry(c));
  for (const [verb, xs] of times)
    console.log(
      `${verb} (${N} containers): median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(' ')})`,
    );
} finally {
  spawnSync(process.execPath, [BIN, 'down', '-t', '1'], { cwd: dir, env });
  rmSync(root, { recursive: true, force: true });
}
