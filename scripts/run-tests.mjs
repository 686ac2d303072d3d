// Runs node's test runner over test/**/*.test.ts (Node 20 expands no globs, and tsx --test finds no
// .ts files by itself). Exits 1 when no test file is found, so "ran no test" cannot pass silently.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = roots
  .flatMap((root) =>
    statSync(root).isFile() ? [root] : readdirSync(root, { recursive: true }).map((f) => join(root, String(f))),
  )
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.GANTRY_TEST_CONCURRENCY ?? '2';
const summaryDir = mkdtempSync(join(tmpdir(), 'gantry-test-summary-'));
const summary = join(summaryDir, 'failed.txt');
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout'];
reporters.push(`--test-reporter=${new URL('./failure-summary.mjs', import.meta.url).href}`);
reporters.push(`--test-reporter-destination=${summary}`);
const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporters, ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
let failed = '';
try {
  failed = readFileSync(summary, 'utf8');
} catch {
  // no summary: the runner died before its reporters ended; its own exit status says so
}
rmSync(summaryDir, { recursive: true, force: true });
if (failed) process.stdout.write(`\n# failed tests\n${failed}`);
process.exit(r.status ?? 1);
