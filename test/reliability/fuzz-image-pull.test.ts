// `image pull` from a misbehaving loopback registry this test runs (wrong content types, broken
// or mistyped JSON, wrong digests, truncated bodies, 500s, 404s, redirect loops, odd auth, a body
// that never ends, one that stalls): a one-line error, non-zero exit within a bounded time
// (GANTRY_REGISTRY_TIMEOUT), and the store exactly as before with no temp file left.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_NAMES, startFakeRegistry, type FakeRegistry } from './fuzz/fake-registry.ts';
import { storeBench } from './fuzz/image-store-case.ts';
import { judgeImageError } from './fuzz/image-verdict.ts';

const bench = storeBench();
let registry: FakeRegistry;
before(async () => {
  registry = await startFakeRegistry();
});
after(async () => {
  await registry.close();
  bench.cleanup();
});
const TIMEOUT_S = 3;
const pull = (ref: string): ReturnType<typeof bench.run> =>
  bench.run(['image', 'pull', '-q', ref], { GANTRY_REGISTRY_TIMEOUT: String(TIMEOUT_S) });

test('the fake registry serves an image gantry pulls (so the faults test the checks)', async () => {
  const r = await pull(`${registry.host}/ok:1`);
  assert.deepEqual([r.exitCode, r.stdout, r.changed], [0, `${registry.host}/ok:1\n`, true], r.stderr);
});

test(
  'every registry fault: one line, non-zero exit, bounded time, store unchanged',
  { timeout: 20 * 60_000 },
  async () => {
    const problems: string[] = [];
    const refs = [
      ...FAULT_NAMES.map((f) => `${registry.host}/${f}:1`),
      `${registry.host}/manifest-html@${registry.manifestDigest}`,
    ];
    for (const ref of refs) {
      const r = await pull(ref);
      // Three tries with backoff, each bounded by the timeout, plus generous slack for a loaded machine.
      const why =
        judgeImageError(r, '') ??
        (r.changed
          ? 'store changed'
          : r.temps.length
            ? `temp files left: ${r.temps.join(' ')}`
            : r.ms > 4 * TIMEOUT_S * 1000 + 60_000
              ? `took ${r.ms} ms`
              : undefined);
      if (why) problems.push(`${ref}: ${why}: (exit ${r.exitCode}) ${JSON.stringify(r.stderr.slice(0, 300))}`);
      if (/no data from the registry/.test(r.stderr)) assert.match(r.stderr, new RegExp(`for ${TIMEOUT_S}s`));
    }
    assert.deepEqual(problems, []);
  },
);
