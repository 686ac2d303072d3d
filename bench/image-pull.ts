// Benchmark: pull + unpack of a ~100 MB, 5-layer image (random data) from a local
// docker-registry, gantry vs `skopeo copy docker://… oci:DIR` + `umoci unpack`, with hyperfine
// (≥5 runs each, fresh destination every run). Appends a section to bench/RESULTS.md.
// Run: node --import tsx bench/image-pull.ts   (root; needs the built CLI: npm run build)
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry } from '../test/helpers/registry.ts';

const LAYERS = 5;
const LAYER_MB = 20;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const repo = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), `gantry-bench-${process.pid}-`));
const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** An OCI layout with LAYERS gzip layers, each a few files of random bytes. */
function buildImage(dir: string): void {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const layers: { digest: string; size: number }[] = [];
  const diffIds: string[] = [];
  for (let i = 0; i < LAYERS; i++) {
    const src = join(work, `src${i}`, `layer${i}`);
    mkdirSync(src, { recursive: true });
    for (let f = 0; f < 4; f++) writeFileSync(join(src, `data${f}.bin`), randomBytes((LAYER_MB / 4) * 1024 * 1024));
    for (let f = 0; f < 200; f++) writeFileSync(join(src, `small${f}.txt`), `file ${f} of layer ${i}\n`.repeat(20));
    const tar = execFileSync('tar', ['-c', '--sort=name', '-C', join(work, `src${i}`), '.'], { maxBuffer: 1 << 30 });
    const gz = execFileSync('gzip', ['-1', '-n', '-c'], { input: tar, maxBuffer: 1 << 30 });
    diffIds.push(sha(tar));
    layers.push({ digest: sha(gz), size: gz.length });
    writeFileSync(join(blobs, sha(gz).slice(7)), gz);
  }
  const cfg = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }),
  );
  writeFileSync(join(blobs, sha(cfg).slice(7)), cfg);
  const man = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(cfg), size: cfg.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
    }),
  );
  writeFileSync(join(blobs, sha(man).slice(7)), man);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha(man),
          size: man.length,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
}

const reg = await startRegistry();
try {
  buildImage(join(work, 'oci'));
  await reg.push(`oci:${join(work, 'oci')}:latest`, 'bench/random:latest');
  const ref = `${reg.host}/bench/random:latest`;
  const g = join(work, 'g');
  const s = join(work, 's');
  const gantry = `GANTRY_ROOT=${g} node ${join(repo, 'bin', 'gantry.js')} image pull -q ${ref} > /dev/null`;
  const skopeo = `skopeo copy -q --src-tls-verify=false docker://${ref} oci:${s}/oci:latest && umoci unpack --image ${s}/oci:latest ${s}/bundle > /dev/null`;
  execFileSync(
    'hyperfine',
    [
      '--runs',
      String(RUNS),
      '--warmup',
      '1',
      '--export-json',
      join(work, 'h.json'),
      '--prepare',
      `rm -rf ${g} ${s}; mkdir -p ${s}; sync`,
      '-n',
      'gantry image pull',
      gantry,
      '-n',
      'skopeo copy + umoci unpack',
      skopeo,
    ],
    { stdio: 'inherit' },
  );
  const results = (
    JSON.parse(readFileSync(join(work, 'h.json'), 'utf8')) as {
      results: { command: string; median: number; mean: number; stddev: number; min: number; max: number }[];
    }
  ).results;
  const rows = results.map(
    (r) =>
      `| ${r.command} | ${r.median.toFixed(3)} | ${r.mean.toFixed(3)} ± ${r.stddev.toFixed(3)} | ${r.min.toFixed(3)} | ${r.max.toFixed(3)} |`,
  );
  const section = [
    '',
    `## image pull + unpack, ${LAYERS} × ${LAYER_MB} MB random-data gzip layers (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${cpus().length}-core Debian 12 VM, kernel ${release()}, Node ${process.version}. Local docker-registry on 127.0.0.1,`,
    `hyperfine ${RUNS} runs + 1 warmup, fresh destination each run (\`bench/image-pull.ts\`).`,
    '',
    '| command | median s | mean s | min s | max s |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  appendFileSync(join(repo, 'bench', 'RESULTS.md'), section);
  process.stdout.write(section);
} finally {
  await reg.stop();
  rmSync(work, { recursive: true, force: true });
}
