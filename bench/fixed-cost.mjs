// The fixed cost of every command (issue 20): each row's median against `node -e 0`'s median taken in
// the same run, so the VM's drift cancels, and the target as a difference from Node's own start.
// Then `up -d`/`down` of 1, 10, 30 and 60 services and the per-service slope of each stretch.
// The whole table runs twice: with NODE_EXTRA_CA_CERTS as the caller's shell has it (it costs every
// Node start 40-50 ms here) and without it. Root, offline (busybox test image).
//   node bench/fixed-cost.mjs [runs=7] [--no-scale]        (build first: node scripts/build.mjs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stack } from './stacks.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 7);
const SCALE = !process.argv.includes('--no-scale');
const IMG = 'gantry-test/busybox:latest';
const ARCHIVE = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
const PORT = 19000 + (process.pid % 500);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runner(env) {
  const run = (cmd, args, cwd) => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    return ms;
  };
  const gantry = (cwd, ...args) => run(process.execPath, [BIN, ...args], cwd);
  const node = () => run(process.execPath, ['-e', '0'], REPO);
  return { gantry, node };
}

function project(root, name, n) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), stack(name, n, { image: IMG, port: PORT }));
  return dir;
}

// Each row alternates with `node -e 0` and is compared with the median of its own node runs, so both
// medians see the same machine even when the VM drifts between rows (a whole-table node median made the
// first row of the 18:52 run look 90 ms worse with the CA variable than its CPU pairs showed).
function table(label, env) {
  const root = mkdtempSync(join(tmpdir(), 'gantry-fixed-'));
  const { gantry, node } = runner({ ...env, GANTRY_ROOT: root });
  const nodeMs = [];
  const rows = [];
  const row = (name, target, once) => {
    const xs = [];
    const own = [];
    for (let i = 0; i < RUNS; i++) {
      own.push(node());
      xs.push(once());
    }
    nodeMs.push(...own);
    rows.push({ name, ms: median(xs), node: median(own), target });
  };
  try {
    gantry(root, 'image', 'load', '-i', ARCHIVE);
    gantry(root, 'container', 'run', '--rm', IMG, 'true'); // page cache, bundle code cache
    row('container run --rm IMAGE true', 60, () => gantry(root, 'container', 'run', '--rm', IMG, 'true'));
    const one = project(root, 'one', 1);
    gantry(one, 'up', '-d', '--progress', 'quiet');
    row('exec -T SERVICE true', 60, () => gantry(one, 'exec', '-T', 's1', 'true'));
    gantry(one, 'down', '-t', '1');
    for (const n of [1, 10]) {
      const dir = project(root, `s${n}`, n);
      const ups = [];
      const downs = [];
      const own = [];
      for (let i = 0; i < RUNS; i++) {
        own.push(node());
        ups.push(gantry(dir, 'up', '-d', '--progress', 'quiet'));
        downs.push(gantry(dir, 'down', '-t', '1'));
      }
      nodeMs.push(...own);
      const base = median(own);
      rows.push({
        name: `${n}-service up -d (network, volume, port)`,
        ms: median(ups),
        node: base,
        target: n === 1 ? 200 : 350,
      });
      rows.push({ name: `${n}-service down`, ms: median(downs), node: base, target: n === 1 ? 120 : 200 });
    }
    console.log(`\n${label}: node -e 0 median ${Math.round(median(nodeMs))} ms (${nodeMs.length} runs)`);
    console.log('| command | median | node -e 0 (its row) | difference | target (difference) | met |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) {
      const diff = r.ms - r.node;
      const met = diff <= r.target ? 'yes' : 'no';
      console.log(
        `| ${r.name} | ${Math.round(r.ms)} ms | ${Math.round(r.node)} ms | +${Math.round(diff)} ms | ≤ +${r.target} ms | ${met} |`,
      );
    }
    if (SCALE) slopes(gantry, root);
  } finally {
    // `container run`'s default bridge and pooled namespace stay by design until pruned: the root's bridge,
    // namespace and rules would outlive its directory (four bridges after two runs, 06:50).
    spawnSync(process.execPath, [BIN, 'network', 'prune'], { env: { ...env, GANTRY_ROOT: root }, stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  }
}

// up/down of 1, 10, 30, 60 services: the cost per added service of each stretch should not grow.
function slopes(gantry, root) {
  const sizes = [1, 10, 30, 60];
  const up = {};
  const down = {};
  const runs = Math.max(3, Math.ceil(RUNS / 2));
  for (const n of sizes) {
    const dir = project(root, `scale${n}`, n);
    const ups = [];
    const downs = [];
    for (let i = 0; i < runs; i++) {
      ups.push(gantry(dir, 'up', '-d', '--progress', 'quiet'));
      downs.push(gantry(dir, 'down', '-t', '1'));
    }
    up[n] = median(ups);
    down[n] = median(downs);
  }
  console.log(`\n| services | up -d | down | (medians of ${runs}) |`);
  console.log('|---|---|---|---|');
  for (const n of sizes) console.log(`| ${n} | ${Math.round(up[n])} ms | ${Math.round(down[n])} ms | |`);
  console.log('| stretch | up -d per service | down per service | |');
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    const per = (m) => ((m[b] - m[a]) / (b - a)).toFixed(1);
    console.log(`| ${a} → ${b} | ${per(up)} ms | ${per(down)} ms | |`);
  }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`fixed cost (${new Date().toISOString()}, load ${load()}, ${RUNS} runs per row)`);
const withCa = { ...process.env };
const withoutCa = { ...process.env };
delete withoutCa['NODE_EXTRA_CA_CERTS'];
if (withCa['NODE_EXTRA_CA_CERTS']) table(`with NODE_EXTRA_CA_CERTS=${withCa['NODE_EXTRA_CA_CERTS']}`, withCa);
table('without NODE_EXTRA_CA_CERTS', withoutCa);
console.log(`\nload at the end: ${load()}`);
