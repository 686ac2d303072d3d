// bench helper: (re)creates container "bench" under $1 and writes its start plan, so hyperfine can
// time the shim alone (`native/build/gantry-shim $1/bench/plan`) on a fresh container each run.
import { writeFileSync } from 'node:fs';
import { createRuntime } from '../src/runtime/index.ts';
import { runtimeContext, cgroupName } from '../src/runtime/context.ts';
import { nodeHost } from '../src/runtime/host.ts';
import { startPlan } from '../src/runtime/start-plan.ts';

const [dir, rootfs] = process.argv.slice(2) as [string, string];
const rt = createRuntime({ containersDir: dir });
const ctx = runtimeContext(nodeHost(), dir);
await rt.delete('bench', { force: true }).catch(() => {});
await rt.create('bench', {
  rootfs: { layers: [rootfs], readOnly: false },
  process: { args: ['/bin/true'], env: ['PATH=/bin'], cwd: '/' },
});
const driver = await ctx.driver();
const plan = startPlan(
  ctx.load('bench').stored.spec,
  ctx.paths('bench'),
  driver.forContainer(cgroupName(dir, 'bench')),
  driver.layout === 'v2',
  { attach: true },
);
writeFileSync(ctx.paths('bench').plan, plan);
