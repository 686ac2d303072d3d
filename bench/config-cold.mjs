// Times a cold `gantry config` (a fresh node process each run, built dist/) on generated
// 20-service and 400-service projects, and the 400 with a mistake in its last service (the error
// path: the files are read again with positions, src/project/load-raw.ts); prints the median wall
// time and the median CPU time (user+sys, from GNU time), which a busy machine disturbs less.
// Build first (npm run build).
// Usage: node bench/config-cold.mjs [runs=15]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/gantry.js', import.meta.url));
const runs = Number(process.argv[2] ?? 15);

// Each service uses the attributes real stacks do: ports, volumes, env, depends_on, healthcheck.
function project(n) {
  const lines = ['name: bench', 'services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.local/app${i % 7}:\${TAG:-1.0}`,
      `    command: ["run", "--id", "${i}"]`,
      `    ports: ["127.0.0.1:${20000 + i}:80"]`,
      `    volumes: ["data${i % 10}:/data", "./conf/${i}:/etc/app:ro"]`,
      `    environment: {ID: "${i}", MODE: production}`,
      `    networks: [front, back]`,
      `    healthcheck: {test: ["CMD", "true"], interval: 10s, timeout: 2s}`,
      `    deploy: {resources: {limits: {memory: 256m, cpus: "0.5"}}}`,
    );
    if (i > 0) lines.push(`    depends_on: [svc${i - 1}]`);
  }
  lines.push('networks: {front: {}, back: {internal: true}}', 'volumes:');
  for (let v = 0; v < 10; v++) lines.push(`  data${v}: {}`);
  return `${lines.join('\n')}\n`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(args, status = 0) {
  const wall = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const p = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', process.execPath, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    if (p.status !== status) throw new Error(`${args.join(' ')} failed: ${p.stderr}`);
    const [e, u, s] = p.stderr.trim().split('\n').pop().split(' ').slice(1).map(Number);
    wall.push(e * 1000);
    cpu.push((u + s) * 1000);
  }
  return { median: median(wall), min: Math.min(...wall), cpu: median(cpu) };
}

const dir = mkdtempSync(join(tmpdir(), `gantry-bench-${process.pid}-`));
const report = (what, t) =>
  console.log(
    `${what}: wall median ${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)}), CPU median ${t.cpu.toFixed(0)} ms, ${runs} runs`,
  );
try {
  // Baselines: node itself, and gantry with no project to read.
  report('node -e ""', time(['-e', '']));
  report('gantry version', time([BIN, 'version']));
  for (const n of [20, 400]) {
    const file = join(dir, `compose-${n}.yaml`);
    writeFileSync(file, project(n));
    report(`gantry config, ${n} services`, time([BIN, '-f', file, 'config']));
  }
  const bad = join(dir, 'compose-400-bad.yaml');
  writeFileSync(bad, project(400).replace('"127.0.0.1:20399:80"', '"127.0.0.1:20399:http"'));
  report('gantry config, 400 services, bad port in the last', time([BIN, '-f', bad, 'config'], 1));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
