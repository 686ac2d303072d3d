// `up -d` and `down` of the same stacks (bench/stacks.mjs, 1 and 10 services) by gantry and by
// podman-compose, interleaved run by run so both see the same machine load. "up" ends when the
// published 127.0.0.1 port answers (the same test for both; both return from `up -d` only once
// every container was started). Prints one JSON line per stack and tool, then a Markdown table.
//   PEERS_PODMAN=/path/to/podman-wrapper node bench/peers.mjs [runs=5]     (bench/peers.sh sets it up)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stack } from './stacks.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 5);
const PODMAN = process.env.PEERS_PODMAN ?? 'podman';
const ID = process.env.PEERS_ID ?? String(process.pid); // in every project name
const root = mkdtempSync(join(tmpdir(), 'gantry-peers-'));
const genv = { ...process.env, GANTRY_ROOT: root };
const TAR = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');

function sh(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const answers = (port) =>
  new Promise((r) => {
    const s = connect({ host: '127.0.0.1', port }, () => (s.end(), r(true)));
    s.on('error', () => r(false));
  });
async function waitPort(port) {
  const deadline = Date.now() + 120_000;
  while (!(await answers(port))) {
    if (Date.now() > deadline) throw new Error(`port ${port} never answered`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const tools = {
  gantry: {
    image: 'gantry-test/busybox:latest',
    up: (dir) => sh(process.execPath, [BIN, 'up', '-d', '--progress', 'quiet'], { cwd: dir, env: genv }),
    down: (dir, _name, extra = []) =>
      sh(process.execPath, [BIN, 'down', '--progress', 'quiet', ...extra], { cwd: dir, env: genv }),
    cleanup: () => {},
  },
  podman: {
    image: 'localhost/gantry-test/busybox:latest',
    // podman-compose 1.0.3 ignores the top-level name: -p gives it the same project name
    up: (dir, name) => sh('podman-compose', ['--podman-path', PODMAN, '-p', name, 'up', '-d'], { cwd: dir }),
    down: (dir, name, extra = []) =>
      sh('podman-compose', ['--podman-path', PODMAN, '-p', name, 'down', ...extra], { cwd: dir }),
    // podman-compose down leaves the project network (a CNI config and bridge): remove ours
    cleanup: (name) => spawnSync(PODMAN, ['network', 'rm', '-f', `${name}_default`], { encoding: 'utf8' }),
  },
};

let leftovers = false; // a stack that would not go down: its root is kept, not deleted under it
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];

async function bench(n) {
  const runs = {};
  const dirs = {};
  for (const [k, [tool, t]] of Object.entries(tools).entries()) {
    // a port per stack and tool: a rule one tool left behind cannot answer for the other
    const port = 19000 + (Number(ID) % 250) * 4 + (n === 1 ? 0 : 2) + k;
    const name = `peers${tool}${n}x${ID}`;
    dirs[tool] = { dir: join(root, name), name, port };
    mkdirSync(dirs[tool].dir);
    writeFileSync(join(dirs[tool].dir, 'compose.yaml'), stack(name, n, { image: t.image, port }));
    runs[tool] = { up: [], down: [] };
  }
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [tool, t] of Object.entries(tools)) {
        const { dir, name, port } = dirs[tool];
        const t0 = performance.now();
        t.up(dir, name);
        await waitPort(port);
        runs[tool].up.push(performance.now() - t0);
        const t1 = performance.now();
        t.down(dir, name);
        runs[tool].down.push(performance.now() - t1);
      }
    }
  } finally {
    for (const [tool, t] of Object.entries(tools)) {
      const { dir, name } = dirs[tool];
      try {
        t.down(dir, name, ['-v']);
      } catch (err) {
        console.error(`${tool} final down: ${err.message}`);
        leftovers = true;
      }
      t.cleanup(name);
    }
  }
  for (const [tool, r] of Object.entries(runs)) {
    const row = {
      services: n,
      tool,
      up: median(r.up),
      down: median(r.down),
      ups: r.up.map(Math.round),
      downs: r.down.map(Math.round),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
}

try {
  sh(process.execPath, [BIN, 'image', 'load', '-i', TAR], { env: genv });
  for (const n of [1, 10]) await bench(n);
  const f = (x) => x.toFixed(0);
  console.log(
    '\n| stack | gantry up -d ms | podman-compose up -d ms | podman ÷ gantry | gantry down ms | podman-compose down ms | podman ÷ gantry |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const n of [1, 10]) {
    const g = results.find((r) => r.services === n && r.tool === 'gantry');
    const p = results.find((r) => r.services === n && r.tool === 'podman');
    console.log(
      `| ${n} service${n > 1 ? 's' : ''} | ${f(g.up)} | ${f(p.up)} | ${(p.up / g.up).toFixed(1)}× | ${f(g.down)} | ${f(p.down)} | ${(p.down / g.down).toFixed(1)}× |`,
    );
  }
} finally {
  if (leftovers) console.error(`kept ${root}: take its stacks down with GANTRY_ROOT=${root} gantry down -v`);
  else rmSync(root, { recursive: true, force: true });
}
