// Times `gantry exec -T app true` against a running service and `gantry run --rm -T app true`
// (a oneoff with one dependency already up: create with its own netns + attach, start, wait,
// remove), each end to end through the CLI. Root, offline (busybox test image). Medians of N runs.
//   node bench/exec-run.mjs [runs=9]        (build first: node scripts/build.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 9);
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
const ARCHIVE = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar'); // made by the e2e tests / scripts/make-test-images.sh

const gantry = (dir, args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

function timed(dir, args) {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    gantry(dir, args);
    out.push(performance.now() - t0);
  }
  return out;
}

const dir = join(root, 'benchrun');
mkdirSync(dir);
writeFileSync(
  join(dir, 'compose.yaml'),
  `name: benchrun
services:
  db: {image: ${IMG}, init: true, command: ["sleep", "3600"]}
  app: {image: ${IMG}, init: true, depends_on: [db], command: ["sleep", "3600"]}
`,
);
try {
  gantry(root, ['image', 'load', '-i', ARCHIVE]);
  gantry(dir, ['up', '-d', '--progress', 'quiet']);
  const version = timed(dir, ['version']);
  const exec = timed(dir, ['exec', '-T', 'app', 'true']);
  const run = timed(dir, ['run', '--rm', '-T', 'app', 'true']);
  console.log(`| gantry version (Node start) | ${fmt(version)} |`);
  console.log(`| exec -T app true | ${fmt(exec)} |`);
  console.log(`| run --rm -T app true | ${fmt(run)} |`);
} finally {
  spawnSync(process.execPath, [BIN, 'down', '-v', '--remove-orphans', '-t', '1'], { cwd: dir, env });
  rmSync(root, { recursive: true, force: true });
}
