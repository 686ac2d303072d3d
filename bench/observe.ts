// Costs of the observe commands' building blocks: one journal append (what every lifecycle
// operation now pays), the delay from an append to `events` printing it (polling), and the
// in-root stat `cp` does (one `gantry-shim fs` run). Usage: node --import tsx bench/observe.ts
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJournal, journalLine } from '../src/runtime/journal.ts';
import { followEvents } from '../src/engine/commands/container-events.ts';
import { statIn } from '../src/common/in-root-fs.ts';

const dir = mkdtempSync(join(tmpdir(), 'gantry-bench-observe-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// labels as `up` writes them, the supervision blob included (~0.9 kB a line)
const labels = {
  'com.docker.compose.project': 'bench',
  'com.docker.compose.service': 'web',
  'com.docker.compose.container-number': '1',
  'com.docker.compose.config-hash': 'f'.repeat(64),
  'io.gantry.image-id': `sha256:${'a'.repeat(64)}`,
  'com.docker.compose.oneoff': 'False',
  'com.docker.compose.project.config_files': '/srv/bench/compose.yaml',
  'com.docker.compose.project.working_dir': '/srv/bench',
  'io.gantry.supervision': JSON.stringify({
    id: 'bench-web-1',
    service: 'web',
    number: 1,
    restart: { kind: 'always' },
    endpoints: [{ network: 'bench_default', ip: '172.18.0.2', aliases: ['web', 'bench-web-1'] }],
    ports: [{ host: '127.0.0.1', published: 8080, target: 80, protocol: 'tcp' }],
    healthcheck: { test: ['CMD', 'true'], intervalMs: 30000 },
  }),
};

const file = join(dir, 'events.jsonl');
const N = 5000;
const t0 = performance.now();
for (let i = 0; i < N; i++) appendJournal(file, journalLine('bench-web-1', 'start', labels));
const appendUs = ((performance.now() - t0) / N) * 1000;
console.log(
  `journal append: ${appendUs.toFixed(1)} µs per event (${N} events, ${journalLine('bench-web-1', 'start', labels).length} B a line)`,
);

const delays: number[] = [];
const ac = new AbortController();
let sentAt = 0;
const follow = followEvents(file, 'bench', {
  signal: ac.signal,
  onEvent: () => void delays.push(performance.now() - sentAt),
});
for (let i = 0; i < 30; i++) {
  await new Promise((r) => setTimeout(r, 37 + (i % 5) * 11)); // not in step with the poll
  sentAt = performance.now();
  appendJournal(file, journalLine('bench-web-1', 'die', labels, { exitCode: '0' }));
  while (delays.length <= i) await new Promise((r) => setTimeout(r, 2));
}
ac.abort();
await follow;
console.log(
  `events delay (append → onEvent): median ${median(delays).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms (30 events)`,
);

const root = join(dir, 'root');
mkdirSync(join(root, 'a/b/c/d/e/f'), { recursive: true });
writeFileSync(join(root, 'a/b/c/d/e/f/file'), 'x');
symlinkSync('/a/b/c', join(root, 'link'));
const R = 200;
const t1 = performance.now();
for (let i = 0; i < R; i++) await statIn({ root, path: '/link/d/e/f/file' }, false);
console.log(
  `statIn: ${((performance.now() - t1) / R).toFixed(2)} ms for a 5-component path through one absolute link (one shim run)`,
);
rmSync(dir, { recursive: true, force: true });
