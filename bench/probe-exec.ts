// Health probes through the runtime, A/B in one run (issue 20): `exec` with combinedOutput (the
// probe spawner: one long-lived /bin/sh forks each shim) against the plain piped exec (one fork of
// this Node process each), alternating in blocks of 10, with a 50 MB heap held as the supervisor's
// would be. Prints each side's median wall per probe and this process's CPU (user+sys) per probe.
//   GANTRY_ROOT=... node --import tsx bench/probe-exec.ts CONTAINER_ID [rounds=5]
import { createRuntime } from '../src/runtime/index.ts';

const id = process.argv[2] ?? '';
const rounds = Number(process.argv[3] ?? 5);
const rt = createRuntime({});
const ballast = Array.from({ length: 500_000 }, (_, i) => ({ i, s: `x${i}` })); // ≈ 50 MB of heap
const spec = { args: ['/bin/sh', '-c', 'true'], env: ['PATH=/bin'], cwd: '/' };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function block(combined: boolean): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) {
    const r = await rt.exec(id, spec, { timeoutMs: 5000, maxOutput: 4096, combinedOutput: combined });
    if (r.exitCode !== 0) throw new Error(`probe exit ${r.exitCode}: ${r.stdout}${r.stderr}`);
  }
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 10, cpu: (c.user + c.system) / 1000 / 10 };
}

const a = { wall: [] as number[], cpu: [] as number[] };
const b = { wall: [] as number[], cpu: [] as number[] };
await block(true);
await block(false);
for (let r = 0; r < rounds; r++) {
  for (const [side, combined] of [[a, true], [b, false]] as const) {
    const x = await block(combined);
    side.wall.push(x.wall);
    side.cpu.push(x.cpu);
  }
}
const row = (name: string, s: typeof a) =>
  console.log(`${name}: wall ${median(s.wall).toFixed(1)} ms/probe, CPU ${median(s.cpu).toFixed(2)} ms/probe`);
row('spawner (combinedOutput)', a);
row('fork per probe          ', b);
console.log(`ratio wall ${(median(a.wall) / median(b.wall)).toFixed(2)}, CPU ${(median(a.cpu) / median(b.cpu)).toFixed(2)}`);
if (ballast.length === 0) console.log('');
