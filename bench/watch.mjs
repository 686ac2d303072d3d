// `gantry watch` on a running service, through the CLI as a user runs it: save → file visible
// inside the container (p50/p99 over N edits, read from the host through /proc/PID/root, polled
// every millisecond), a burst of 5,000 new files → all inside (and how many syncs it took; then
// again once its files are removed on both sides: the used filesystem, see burstRow), and
// save → rebuilt service answering over its published port, with where the time went: watch's own
// lines (sync per batch; rebuild's build and replace phases) are timed as they arrive on its
// stderr. Root, offline (busybox test image).
//   node bench/watch.mjs [edits=200] [rebuilds=3]      (build first: node scripts/build.mjs)
// The burst line also gives the CPU time the watch process and its children (the sync shim) used
// from the first write to the last file inside: on a loaded machine, the figure an A/B pair reads.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
// BENCH_GANTRY_BIN: another build's bin/gantry.js (an A/B against a base checkout)
const BIN = process.env.BENCH_GANTRY_BIN ?? join(REPO, 'bin/gantry.js');
const EDITS = Number(process.argv[2] ?? 200);
const REBUILDS = Number(process.argv[3] ?? 3);
const BURST = 5000;
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-watch-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
let archive = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
if (!existsSync(archive)) archive = '/work/main/test/fixtures/images/build/v1/busybox-docker.tar';
const dir = join(root, 'p');
const MARK = `bench${process.pid}`;

const gantry = (args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const freePort = () =>
  new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => r(port));
    });
  });

/** The container's PID 1, found by the marker in its environment. */
function containerPid() {
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (readFileSync(`/proc/${p}/environ`, 'utf8').includes(`BENCH_MARK=${MARK}\0`)) return Number(p);
    } catch {
      /* gone */
    }
  }
  throw new Error('container not found');
}

async function until(check, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setImmediate(r));
  }
}
/** CPU time (ms) of pid and every live descendant, plus what its reaped children used (`alone`: pid's own). */
function cpuOf(pid, alone = false) {
  const tick = 10; // USER_HZ 100 on Linux
  const stat = (p) => {
    try {
      return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    } catch {
      return undefined;
    }
  };
  const children = new Map();
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    const f = stat(p);
    if (f) children.set(Number(f[1]), [...(children.get(Number(f[1])) ?? []), Number(p)]);
  }
  const walk = (p, own) => {
    const f = stat(p);
    if (!f) return 0;
    // fields after "comm) ": state ppid ... utime(11) stime(12) cutime(13) cstime(14)
    const t = Number(f[11]) + Number(f[12]) + (own && !alone ? Number(f[13]) + Number(f[14]) : 0);
    return t * tick + (alone ? 0 : (children.get(p) ?? []).reduce((a, c) => a + walk(c, own), 0));
  };
  return walk(pid, true);
}
const read = (p) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

const port = await freePort();
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'app'));
writeFileSync(
  join(dir, 'app', 'Dockerfile'),
  `FROM ${IMG}\nCOPY index.html /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
);
writeFileSync(join(dir, 'app', 'index.html'), 'v0\n');
writeFileSync(
  join(dir, 'compose.yaml'),
  `name: benchwatch
services:
  web:
    image: ${IMG}
    command: ["sleep", "3600"]
    environment: { BENCH_MARK: ${MARK} }
    develop:
      watch:
        - { path: ./src, action: sync, target: /app }
  app:
    build: ./app
    ports: ["127.0.0.1:${port}:8080"]
    develop:
      watch:
        - { path: ./app, action: rebuild }
`,
);
let watch;
/** watch's stderr lines with the time each arrived. */
const lines = [];
const linesAfter = (t, re) => lines.filter((l) => l.at >= t && re.test(l.line));
let errText = () => '';
try {
  gantry(['image', 'load', '-i', archive]);
  let err = '';
  // BENCH_WATCH_NODE_ARGS: node flags for the watch process only (e.g. --cpu-prof --cpu-prof-dir=DIR)
  const nodeArgs = process.env.BENCH_WATCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  watch = spawn(process.execPath, [...nodeArgs, BIN, 'watch'], { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  watch.stderr.on('data', (d) => {
    err += d;
    const now = performance.now();
    for (const line of String(d).split('\n')) if (line) lines.push({ at: now, line });
  });
  errText = () => err;
  await until(() => err.includes('Watch enabled'), 180_000);
  const inside = join(`/proc/${containerPid()}/root`, 'app');

  const file = join(dir, 'src', 'edit.txt');
  const lat = [];
  for (let i = 0; i < EDITS + 5; i++) {
    const text = `edit ${i} ${Date.now()}\n`;
    const t0 = performance.now();
    writeFileSync(file, text);
    await until(() => read(join(inside, 'edit.txt')) === text);
    if (i >= 5) lat.push(performance.now() - t0); // the first few warm the CLI's lazy imports
    await sleep(30);
  }

  /** BURST new files written into src/NAME, timed until all are inside /app/NAME. */
  const burstRow = async (name) => {
    const syncsBefore = err.match(/^web {2}sync /gm)?.length ?? 0;
    mkdirSync(join(dir, 'src', name));
    const cpu0 = cpuOf(watch.pid);
    const own0 = cpuOf(watch.pid, true);
    const t0 = performance.now();
    for (let i = 0; i < BURST; i++) writeFileSync(join(dir, 'src', name, `f${i}.txt`), `${i}\n`);
    const written = performance.now() - t0;
    await until(() => {
      const names = (() => {
        try {
          return readdirSync(join(inside, name));
        } catch {
          return [];
        }
      })();
      return names.length === BURST && read(join(inside, name, `f${BURST - 1}.txt`)) === `${BURST - 1}\n`;
    }, 120_000);
    const burst = performance.now() - t0;
    const cpu = cpuOf(watch.pid) - cpu0;
    const own = cpuOf(watch.pid, true) - own0;
    await sleep(500);
    const syncs = (err.match(/^web {2}sync /gm)?.length ?? 0) - syncsBefore;
    const syncLines = linesAfter(t0, /^web {2}sync /).map((l) => `+${Math.round(l.at - t0)} ms: ${l.line}`);
    return { burst, written, syncs, cpu, own, syncLines };
  };
  // BENCH_CHURN=N: N files made and removed beside the project first (other programs' churn in the
  // same ext4 block group; see the second row for why that matters).
  const churn = Number(process.env.BENCH_CHURN ?? 0);
  if (churn > 0) {
    mkdirSync(join(root, 'churn'));
    for (let i = 0; i < churn; i++) writeFileSync(join(root, 'churn', `c${i}`), '');
    rmSync(join(root, 'churn'), { recursive: true });
  }
  const bursts = [['', await burstRow('burst')]];
  // The used filesystem: on ext4 without a journal (this VM's), creating a file skips every free
  // inode of its block group freed in the last 5 s (300 s more while its inode table block is
  // dirty), each skip a buffer-cache look-up: up to ≈ 0.2 ms per file after a checkout removed
  // thousands (perf: 82 % of a create's CPU in recently_deleted()). The first burst's files
  // removed on both sides, then a second burst beside them: a checkout back and forth.
  rmSync(join(dir, 'src', 'burst'), { recursive: true });
  await until(() => !existsSync(join(inside, 'burst')), 120_000);
  await sleep(500);
  bursts.push([' after 5,000 removals (used fs)', await burstRow('burst2')]);
  const answer = async () => {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/`)).text();
    } catch {
      return undefined;
    }
  };
  const rebuilds = [];
  const rebuildLines = [];
  for (let i = 1; i <= REBUILDS; i++) {
    const text = `v${i} ${Date.now()}\n`;
    const s0 = performance.now();
    writeFileSync(join(dir, 'app', 'index.html'), text);
    for (;;) {
      if ((await answer()) === text) break;
      if (performance.now() - s0 > 120_000) throw new Error('rebuild timed out');
      await sleep(5);
    }
    rebuilds.push(performance.now() - s0);
    // The watch line (settle + build + replace), then how long the new container took to answer.
    const done = linesAfter(s0, /^app {2}rebuild /)[0];
    if (done) rebuildLines.push(`${done.line}; line at +${Math.round(done.at - s0)} ms`);
    // BENCH_TRACE=1: every line watch printed meanwhile (the engine's Recreated/Started too), timed.
    if (process.env.BENCH_TRACE)
      for (const l of linesAfter(s0, /./)) rebuildLines.push(`  +${Math.round(l.at - s0)} ms: ${l.line}`);
  }
  const f = (x) => `${Math.round(x)} ms`;
  console.log(
    `gantry watch (${new Date().toISOString()}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}):`,
  );
  console.log(
    `  save → visible, ${lat.length} edits    p50 ${f(pct(lat, 50))}  p99 ${f(pct(lat, 99))}  max ${f(Math.max(...lat))}`,
  );
  for (const [what, b] of bursts) {
    console.log(
      `  ${BURST}-file burst${what} → in sync   ${f(b.burst)} (files written in ${f(b.written)}; ${b.syncs} sync${b.syncs === 1 ? '' : 's'}; watch's CPU meanwhile ${f(b.cpu)}, of which the shim's ${f(b.cpu - b.own)})`,
    );
    for (const l of b.syncLines) console.log(`    ${l}`);
  }
  console.log(`  save → rebuilt service answering  ${rebuilds.map(f).join(', ')} (settle 300 ms included)`);
  for (const l of rebuildLines) console.log(`    ${l}`);
} catch (e) {
  console.error(`${e.message}; watch said:\n${errText()}`);
  process.exitCode = 1;
} finally {
  if (watch && watch.exitCode === null) {
    watch.kill('SIGINT');
    await new Promise((r) => watch.on('close', r));
  }
  spawnSync(process.execPath, [BIN, 'down', '-t', '1'], { env, cwd: dir });
  rmSync(root, { recursive: true, force: true });
}
