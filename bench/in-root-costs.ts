// Costs of the in-root file layer's two users: a volume's first fill from the busybox test image
// (at /bin: ~400 links and the binary; at /: the whole image), and `gantry cp` of a 1000-file tree
// (10 dirs × 100 files of 1 KiB) into and out of a running container, through the CLI.
// Usage (root, built tree): node --import tsx bench/in-root-costs.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGantry } from '../test/helpers/cli.ts';
import { ensureTestImages, TEST_IMAGE_REF } from '../test/helpers/test-images.ts';
import { openImageStore } from '../src/image/index.ts';
import { stateDirs } from '../src/common/state-root.ts';
import { createVolume, populateVolume } from '../src/engine/ops/volumes.ts';

const root = mkdtempSync(join(tmpdir(), 'gantry-bench-inroot-'));
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GANTRY_ROOT: root, HOME: root };
const gantry = async (args: string[], cwd = root) => {
  const r = await runGantry(args, { env, cwd, timeoutMs: 300_000 });
  if (r.exitCode !== 0) throw new Error(`gantry ${args.join(' ')}: ${r.stderr}`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

try {
  await gantry(['image', 'load', '-i', (await ensureTestImages()).dockerArchive]);
  const image = await openImageStore(stateDirs(root).images).resolve(TEST_IMAGE_REF);
  if (!image) throw new Error('test image not found after load');
  for (const target of ['/bin', '/']) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const name = `fill${target.length}-${i}`;
      createVolume(root, name, 'bench');
      runs.push(await timed(() => populateVolume(root, name, image.layers, target)));
    }
    console.log(
      `volume fill of ${TEST_IMAGE_REF} at ${target}: median ${median(runs).toFixed(1)} ms (5 runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`,
    );
  }

  const tree = join(root, 'tree');
  for (let d = 0; d < 10; d++) {
    mkdirSync(join(tree, `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(tree, `d${d}`, `f${f}`), 'x'.repeat(1024));
  }
  const dir = join(root, 'p');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'compose.yaml'),
    `name: benchcp\nservices:\n  box: {image: ${TEST_IMAGE_REF}, command: [sleep, "1000"]}\n`,
  );
  await gantry(['up', '-d'], dir);
  const into: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    into.push(await timed(() => gantry(['cp', tree, `box:/t${i}`], dir)));
    out.push(await timed(() => gantry(['cp', `box:/t${i}`, join(root, `out${i}`)], dir)));
  }
  console.log(
    `gantry cp 1000 files host → container: median ${median(into).toFixed(0)} ms (${into.map((r) => r.toFixed(0)).join(', ')})`,
  );
  console.log(
    `gantry cp 1000 files container → host: median ${median(out).toFixed(0)} ms (${out.map((r) => r.toFixed(0)).join(', ')})`,
  );
  await gantry(['down', '-t', '1'], dir);
} finally {
  rmSync(root, { recursive: true, force: true });
}
