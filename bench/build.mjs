// Times `gantry image build` of a 10-instruction Dockerfile (FROM, ARG, ENV, WORKDIR, COPY of 50
// small files, two RUNs, EXPOSE, USER, CMD) end to end through the CLI: cold (empty build cache,
// --no-cache), fully cached, and after one copied file changed. Root, offline (busybox test
// image). Medians of N runs.
//   node bench/build.mjs [runs=5]        (build first: node scripts/build.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
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
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

const ctx = join(root, 'ctx');
mkdirSync(join(ctx, 'files'), { recursive: true });
for (let i = 0; i < 50; i++) writeFileSync(join(ctx, 'files', `f${i}.txt`), `file ${i}\n`);
writeFileSync(join(ctx, 'Dockerfile'), `FROM ${IMG}
ARG VERSION=1
ENV APP_VERSION=$VERSION
WORKDIR /app
COPY files/ ./files/
RUN cat files/*.txt > all.txt
RUN echo "built $APP_VERSION" > version.txt
EXPOSE 8080
USER nobody
CMD ["cat", "/app/version.txt"]
`);
try {
  gantry(['image', 'load', '-i', archive]);
  gantry(['image', 'build', '-t', 'bench:warmup', ctx]); // page cache, CLI bundle
  const time = (args, before) => {
    const out = [];
    for (let i = 0; i < RUNS; i++) {
      before?.(i);
      const t0 = performance.now();
      gantry(args);
      out.push(performance.now() - t0);
    }
    return out;
  };
  const cold = time(['image', 'build', '--no-cache', '-t', 'bench:1', ctx]);
  const cached = time(['image', 'build', '-t', 'bench:1', ctx]);
  const changed = time(['image', 'build', '-t', 'bench:1', ctx], (i) => writeFileSync(join(ctx, 'files', 'f7.txt'), `changed ${Date.now()} ${i}\n`));
  console.log(`gantry image build, 10 instructions, 50 files (${new Date().toISOString()}, ${RUNS} runs, median (min–max)):`);
  console.log(`  cold (--no-cache)     ${fmt(cold)}`);
  console.log(`  fully cached          ${fmt(cached)}`);
  console.log(`  one copied file edit  ${fmt(changed)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
