// Times the commit of a RUN layer (layer dir → OCI tar: walk, xattrs, gzip) on a layer of N small
// files in nested dirs, a tenth with a user.* xattr: writeLayerTar of this checkout's dist/, and
// of another checkout's (the before of a change) when given. Medians of RUNS, alternated.
//   node bench/layer-diff.mjs [files=2000] [runs=7] [/path/to/other/checkout]   (root; build first)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FILES = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 7);
const OTHER = process.argv[4];
const dir = mkdtempSync(join(tmpdir(), 'gantry-bench-layer-'));
const layer = join(dir, 'layer');
for (let i = 0; i < FILES; i++) {
  const sub = join(layer, `d${i % 40}`, `e${i % 7}`);
  mkdirSync(sub, { recursive: true });
  const f = join(sub, `f${i}.txt`);
  writeFileSync(f, `file ${i}\n`);
  if (i % 10 === 0) execFileSync('setfattr', ['-n', 'user.note', '-v', `n${i}`, f]);
}
const load = async (root) => (await import(join(root, 'dist/build/exec/layer-tar.js'))).writeLayerTar;
const tools = [['this', await load(REPO)], ...(OTHER ? [['other', await load(OTHER)]] : [])];
const times = new Map(tools.map(([name]) => [name, []]));
let n = 0;
for (let r = 0; r < RUNS; r++) {
  for (const [name, writeLayerTar] of r % 2 ? [...tools].reverse() : tools) {
    const out = join(dir, `out-${n++}.tar.gz`);
    const t0 = process.hrtime.bigint();
    await writeLayerTar(layer, out);
    times.get(name).push(Number(process.hrtime.bigint() - t0) / 1e6);
    rmSync(out);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const load1 = execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0];
console.log(`layer of ${FILES} files (${FILES / 10} with xattrs), ${RUNS} runs, load ${load1}:`);
for (const [name] of tools)
  console.log(`  ${name === 'this' ? REPO : OTHER}: median ${median(times.get(name)).toFixed(0)} ms`);
rmSync(dir, { recursive: true, force: true });
