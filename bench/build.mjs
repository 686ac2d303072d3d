// Times `gantry image build` of a 10-instruction Dockerfile (FROM, ARG, ENV, WORKDIR, COPY of 50
// small files, two RUNs, EXPOSE, USER, CMD) end to end through the CLI: cold (empty build cache,
// --no-cache), fully cached, and after one copied file changed. Root, offline (busybox test
// image). Medians of N runs. Side by side, in the same run and on the same context, `podman
// build` (Debian's podman 4.3 with buildah inside; vfs storage in a temp dir, FROM the same test
// image loaded into it, RUN without network, runc: crun refuses hybrid cgroup hosts), when podman
// and runc are installed (scripts/host-packages.txt); each measurement alternates the two tools.
//   node bench/build.mjs [runs=5]        (build first: node scripts/build.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin/gantry.js');
const RUNS = Number(process.argv[2] ?? 5);
const root = mkdtempSync(join(tmpdir(), 'gantry-bench-build-'));
const env = { ...process.env, GANTRY_ROOT: root };
const IMG = 'gantry-test/busybox:latest';
let archive = join(REPO, 'test/fixtures/images/build/v1/busybox-docker.tar');
if (!existsSync(archive)) archive = '/work/main/test/fixtures/images/build/v1/busybox-docker.tar';

const gantry = (args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
  return r.stderr;
};
const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const withPodman = has('podman') && has('runc') && process.env['BENCH_NO_PODMAN'] !== '1';
const podmanArgs = [
  '--root',
  join(root, 'podman', 'root'),
  '--runroot',
  join(root, 'podman', 'run'),
  '--storage-driver',
  'vfs',
  '--cgroup-manager',
  'cgroupfs',
  '--runtime',
  'runc',
];
// This sandbox refuses setrlimit to podman's defaults (nofile 1048576, nproc 4194304).
const buildLimits = ['--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const podman = (args) => {
  const r = spawnSync('podman', [...podmanArgs, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`podman ${args.join(' ')}: ${r.stderr}`);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

const ctx = join(root, 'ctx');
mkdirSync(join(ctx, 'files'), { recursive: true });
for (let i = 0; i < 50; i++) writeFileSync(join(ctx, 'files', `f${i}.txt`), `file ${i}\n`);
writeFileSync(
  join(ctx, 'Dockerfile'),
  `FROM ${IMG}
ARG VERSION=1
ENV APP_VERSION=$VERSION
WORKDIR /app
COPY files/ ./files/
RUN cat files/*.txt > all.txt
RUN echo "built $APP_VERSION" > version.txt
EXPOSE 8080
USER nobody
CMD ["cat", "/app/version.txt"]
`,
);
const tools = { gantry, ...(withPodman ? { podman } : {}) };
const asPodman = (args) => ['build', '-q', ...buildLimits, ...args.slice(2)]; // `image build …` → `build …`
try {
  gantry(['image', 'load', '-i', archive]);
  gantry(['image', 'build', '-t', 'bench:warmup', ctx]); // page cache, CLI bundle
  if (withPodman) {
    podman(['load', '-q', '-i', archive]);
    podman(asPodman(['image', 'build', '-t', 'bench:warmup', ctx]));
  }
  const time = (args, before) => {
    const out = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const [name, run] of Object.entries(tools)) {
        before?.(i, name);
        const t0 = performance.now();
        run(name === 'podman' ? asPodman(args) : args);
        out[name].push(performance.now() - t0);
      }
    }
    return out;
  };
  const cold = time(['image', 'build', '--no-cache', '-t', 'bench:1', ctx]);
  const cached = time(['image', 'build', '-t', 'bench:1', ctx]);
  const edit = (i, name) => writeFileSync(join(ctx, 'files', 'f7.txt'), `changed ${Date.now()} ${i} ${name}\n`);
  const changed = time(['image', 'build', '-t', 'bench:1', ctx], edit);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `image build, 10 instructions, 50 files (${new Date().toISOString()}, load ${load}, ${RUNS} runs, median (min–max)):`,
  );
  for (const name of Object.keys(tools)) {
    console.log(`  ${name === 'gantry' ? 'gantry image build' : 'podman build (vfs)'}`);
    console.log(`    cold (--no-cache)     ${fmt(cold[name])}`);
    console.log(`    fully cached          ${fmt(cached[name])}`);
    console.log(`    one copied file edit  ${fmt(changed[name])}`);
  }
  if (!withPodman) console.log('  (podman build not timed: podman or runc missing)');
} finally {
  if (withPodman) spawnSync('podman', [...podmanArgs, 'system', 'reset', '--force'], { stdio: 'ignore' });
  // the build bridge stays after a build, as docker0 does: removed with the root, or it outlives the bench
  spawnSync(process.execPath, [BIN, 'network', 'prune'], { env, stdio: 'ignore' });
  rmSync(root, { recursive: true, force: true });
}
