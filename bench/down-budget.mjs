// Where a `down`'s fixed cost goes (issue 20), as differences between commands that each do one
// stage more, run interleaved round by round so a loaded machine's drift falls on every row alike:
//   node -e 0                      Node's own start
//   down --help                    + the down bundle through its code cache, commander
//   -p NAME down, no compose file  + lock, prune, observe, state-rebuilt project (nothing up)
//   down, compose file, nothing up + the compose load (read, parse, validate, normalize)
//   down of 1 / 10 services        + supervisor exit, stops, removals, network teardown
// Wall and CPU (user + sys of gantry and the ip/iptables it waited for, GNU time) medians.
//   node bench/down-budget.mjs [rounds=9]                    (root; build first)
//   GANTRY_BENCH_BINS=a/bin/gantry.js:b/bin/gantry.js ...     one column pair per build, interleaved
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stack } from './stacks.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BINS = (process.env.GANTRY_BENCH_BINS || join(REPO, 'bin/gantry.js')).split(':');
const ROUNDS = Number(process.argv[2] ?? 9);
const ARCHIVE = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
const PORT = 19500 + (process.pid % 400);
const root = mkdtempSync(join(tmpdir(), 'gantry-down-budget-'));
const env = { ...process.env, GANTRY_ROOT: root };

/** Wall ms and CPU ms (the command and the children it waited for) of one run. */
function timed(cwd, args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...args], { cwd, env, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  const [u, s] = r.stderr.trim().split('\n').pop().split(' ').slice(1).map(Number);
  return { wall, cpu: (u + s) * 1000 };
}

function project(name, n) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), stack(name, n, { port: PORT }));
  return dir;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const empty = join(root, 'empty');
mkdirSync(empty);
const one = project('one', 1);
const ten = project('ten', 10);
const idle = project('idle', 1);
const rows = [
  'node -e 0',
  'down --help',
  '-p NAME down (no file, nothing up)',
  'down (file, nothing up)',
  '1-service down',
  '10-service down',
];
const out = BINS.map(() => rows.map(() => ({ wall: [], cpu: [] })));
const add = (b, i, t) => (out[b][i].wall.push(t.wall), out[b][i].cpu.push(t.cpu));
console.log(`down budget (${new Date().toISOString()}, load ${load()}, ${ROUNDS} rounds, ${BINS.join(' vs ')})`);
try {
  timed(root, [BINS[0], 'image', 'load', '-i', ARCHIVE]);
  for (let k = 0; k < ROUNDS; k++) {
    BINS.forEach((bin, b) => {
      add(b, 0, timed(root, ['-e', '0']));
      add(b, 1, timed(root, [bin, 'down', '--help']));
      add(b, 2, timed(empty, [bin, '-p', 'nothing', 'down', '-t', '1']));
      add(b, 3, timed(idle, [bin, 'down', '-t', '1']));
      timed(one, [bin, 'up', '-d', '--progress', 'quiet']);
      add(b, 4, timed(one, [bin, 'down', '-t', '1']));
      timed(ten, [bin, 'up', '-d', '--progress', 'quiet']);
      add(b, 5, timed(ten, [bin, 'down', '-t', '1']));
    });
  }
  for (const [b, bin] of BINS.entries()) {
    console.log(`\n${bin}\n| stage | wall median | over node | CPU median | over node |\n|---|---|---|---|---|`);
    const [nw, nc] = [median(out[b][0].wall), median(out[b][0].cpu)];
    rows.forEach((name, i) => {
      const [w, c] = [median(out[b][i].wall), median(out[b][i].cpu)];
      console.log(
        `| ${name} | ${Math.round(w)} ms | +${Math.round(w - nw)} | ${Math.round(c)} ms | +${Math.round(c - nc)} |`,
      );
    });
  }
} finally {
  for (const d of [one, ten]) spawnSync(process.execPath, [BINS[0], 'down', '-v', '-t', '1'], { cwd: d, env });
  rmSync(root, { recursive: true, force: true });
}
console.log(`\nload at the end: ${load()}`);
