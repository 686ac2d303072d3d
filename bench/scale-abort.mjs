// Times `gantry scale web=5` (from 1) and `gantry scale web=1` (from 5), and a CI-style
// `gantry up --exit-code-from quick` (one container exits at once, four sleepers are stopped):
// wall time of the whole command, and from the quick container's exit to gantry's own exit.
// Root, offline (busybox test image). Medians of N runs.
//   node bench/scale-abort.mjs [runs=5]        (build first: node scripts/build.mjs)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 5);
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
const dir = join(root, 'benchscale');

const gantry = (args, okCodes = [0]) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (!okCodes.includes(r.status)) throw new Error(`gantry ${args.join(' ')}: ${r.status} ${r.stderr}`);
  return performance.now() - t0;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) =>
  `${median(xs).toFixed(0)} ms (${[...xs]
    .sort((a, b) => a - b)
    .map((x) => x.toFixed(0))
    .join(' ')})`;

/** Epoch ms of the quick container's exit: `finished=` of the shim's status file. */
function exitedAt() {
  const text = readFileSync(join(root, 'containers', 'benchscale-quick-1', 'status'), 'utf8');
  const finished = /^finished=(\d+)$/m.exec(text);
  return finished ? Number(finished[1]) : undefined;
}

try {
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'compose.yaml'),
    `name: benchscale
services:
  web: {image: ${IMG}, init: true, command: ["sleep", "600"]}
  quick: {image: ${IMG}, command: ["true"]}
  sleeper: {image: ${IMG}, init: true, command: ["sleep", "600"], deploy: {replicas: 4}}
`,
  );
  execFileSync('sh', [join(REPO, 'scripts/make-test-images.sh')], { stdio: 'ignore' });
  gantry(['image', 'load', '-i', join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar')]);
  const ups = [];
  const downs = [];
  const aborts = [];
  const tails = [];
  for (let i = 0; i < RUNS; i++) {
    gantry(['up', '-d', '--progress', 'quiet', 'web']);
    ups.push(gantry(['scale', '--progress', 'quiet', 'web=5']));
    downs.push(gantry(['scale', '--progress', 'quiet', 'web=1']));
    const t0 = Date.now();
    aborts.push(gantry(['up', '--exit-code-from', 'quick', '--progress', 'quiet', '-t', '5', 'quick', 'sleeper']));
    const exit = (() => {
      try {
        return exitedAt();
      } catch {
        return undefined;
      }
    })();
    const tail = exit === undefined ? undefined : t0 + aborts.at(-1) - exit;
    if (tail !== undefined && tail >= 0 && tail <= aborts.at(-1)) tails.push(tail);
    gantry(['down', '--progress', 'quiet', '-t', '1']);
  }
  console.log(
    `scale web=1→5: ${fmt(ups)}\nscale web=5→1: ${fmt(downs)}\nup --exit-code-from quick (1 + 4 replicas): ${fmt(aborts)}`,
  );
  if (tails.length) console.log(`  quick's exit → gantry exit: ${fmt(tails)}`);
} finally {
  spawnSync(process.execPath, [BIN, 'down', '-v', '-t', '1'], { cwd: dir, env });
  rmSync(root, { recursive: true, force: true });
}
