// Benchmark: cold cost of schema validation, as a fresh `gantry config` pays it: with the loader
// stages already imported, import the built validate stage (dist/, with the ahead-of-time
// validator) and validate a 20- and a 400-service project once, each in a new node process;
// compared with compiling the schema with ajv at run time. Run `npm run build` first, then `node bench/validate.mjs [runs]`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 21);
const root = fileURLToPath(new URL('..', import.meta.url));

// One child: builds the document first (not timed), then times import + first validation.
const child = (mode, services) => `
const services = {};
for (let i = 0; i < ${services}; i++) services['svc' + i] = {
  image: 'registry.example/app' + i + ':1.' + i,
  ports: [String(8000 + i) + ':80', { target: 443, published: String(9000 + i), protocol: 'tcp' }],
  environment: { NODE_ENV: 'production', INDEX: String(i), EMPTY: null },
  volumes: ['./data' + i + ':/data', { type: 'volume', source: 'v' + i, target: '/cache' }],
  depends_on: i ? { ['svc' + (i - 1)]: { condition: 'service_started' } } : [],
  healthcheck: { test: ['CMD', 'true'], interval: '10s', retries: 3 },
  deploy: { resources: { limits: { cpus: '0.5', memory: '256m' } } },
  labels: ['tier=app'], restart: 'unless-stopped',
};
const data = { name: 'bench', services, volumes: Object.fromEntries(Object.keys(services).map((_, i) => ['v' + i, {}])) };
// validate runs after loading: the CLI has loaded the loader stages (errors, positions, raw).
await import(${JSON.stringify(`${root}dist/project/load-raw.js`)});
const t0 = performance.now();
${
  mode === 'aot'
    ? `const { validateProject } = await import(${JSON.stringify(`${root}dist/project/validate.js`)});
const t1 = performance.now();
validateProject({ data, positions: () => undefined });`
    : `const { Ajv } = await import('ajv');
const { readFileSync } = await import('node:fs');
const v = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(${JSON.stringify(`${root}schemas/compose.schema.json`)}, 'utf8')));
const t1 = performance.now();
if (!v(data)) throw new Error('invalid');`
}
const t2 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, validate: t2 - t1, total: t2 - t0 }));
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [mode, services] of [
  ['aot', 20],
  ['aot', 400],
  ['runtime-compile', 20],
]) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child(mode, services)], {
      cwd: root,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    samples.push(JSON.parse(r.stdout));
  }
  // Median, and the minimum: on a busy machine the minimum is the better estimate of the cost.
  const m = (k) => `${median(samples.map((s) => s[k])).toFixed(1)}/${Math.min(...samples.map((s) => s[k])).toFixed(1)}`;
  console.log(
    `${mode.padEnd(16)} ${String(services).padStart(3)} services: load ${m('load')} ms, first validate ${m('validate')} ms, total ${m('total')} ms (median/min of ${RUNS})`,
  );
}
