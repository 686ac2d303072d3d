// Supervisor footprint: a 10-container project (one bridge network with DNS, one published port,
// every container with a healthcheck every 500 ms and restart: always), supervised by the BUILT
// supervisor (dist/, as the CLI runs it). Reports the time ensureSupervisor takes to start it and
// to apply a reload, and its resident memory (VmRSS, VmHWM) after 10 s of probing.
// Run as root after `npm run build`: node --import tsx bench/supervisor-memory.ts
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../src/runtime/index.ts';
import { createNetworkManager } from '../src/network/index.ts';
import { stateDirs } from '../src/common/state-root.ts';
import type { SupervisedContainer, SupervisionSet } from '../src/supervisor/contract.ts';
import { busyboxRootfs } from '../test/helpers/rootfs.ts';
import { makeNetns } from '../test/helpers/netns.ts';

const dist = (await import(
  new URL('../dist/supervisor/index.js', import.meta.url).href
)) as typeof import('../src/supervisor/index.ts');
const N = 10;
const undo: (() => unknown)[] = [];
const defer = (fn: () => unknown): void => void undo.push(fn);
const root = mkdtempSync(join(tmpdir(), `gantry-bench-sup-${process.pid}-`));
const project = `bs${process.pid}`;
const projectDir = join(stateDirs(root).projects, project);
const status = (pid: number, key: string): number =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

try {
  mkdirSync(projectDir, { recursive: true });
  const rt = createRuntime({ root });
  const nets = createNetworkManager({ root: stateDirs(root).networks });
  defer(async () => {
    for (const c of await rt.list()) await rt.delete(c.id, { force: true }).catch(() => {});
  });
  const net = await nets.ensureNetwork({ id: `${project}_default`, internal: false });
  defer(() => nets.removeNetwork(net.id));
  const containers: SupervisedContainer[] = [];
  for (let i = 1; i <= N; i++) {
    const ns = await makeNetns(defer, `bench-${i}`);
    const { address } = await nets.attach(ns.path, net.id, { ifname: 'eth0', defaultRoute: true, owner: `c${i}` });
    defer(() => nets.detach(ns.path, net.id));
    const id = `${project}-svc${i}-1`;
    await rt.create(id, {
      rootfs: { layers: [busyboxRootfs()], readOnly: false },
      process: { args: ['/bin/nc', '-ll', '-p', '80', '-e', '/bin/echo', 'hi'], env: ['PATH=/bin'], cwd: '/' },
      netns: ns.path,
    });
    await rt.start(id);
    containers.push({
      id,
      service: `svc${i}`,
      number: 1,
      restart: { kind: 'always' },
      healthcheck: {
        test: ['CMD', '/bin/true'],
        intervalMs: 500,
        timeoutMs: 2000,
        retries: 3,
        startPeriodMs: 0,
        startIntervalMs: 0,
      },
      endpoints: [{ networkId: net.id, address, names: [`svc${i}`, id] }],
      ports:
        i === 1
          ? [{ hostIp: '127.0.0.1', hostPort: 0 + 18080 + (process.pid % 1000), containerPort: 80, protocol: 'tcp' }]
          : [],
    });
  }
  let generation = 0;
  const write = (): void => {
    const set: SupervisionSet = {
      project,
      generation: ++generation,
      networks: [{ networkId: net.id, dnsAddress: net.gateway, internal: false }],
      containers,
      upstreamDns: ['127.0.0.1:9'],
    };
    writeFileSync(`${projectDir}/supervision.json.tmp`, JSON.stringify(set));
    renameSync(`${projectDir}/supervision.json.tmp`, `${projectDir}/supervision.json`);
  };
  defer(() => dist.stopSupervisor(projectDir));
  write();
  let t = performance.now();
  await dist.ensureSupervisor(projectDir);
  const startMs = performance.now() - t;
  write();
  t = performance.now();
  await dist.ensureSupervisor(projectDir);
  const reloadMs = performance.now() - t;
  const pid = Number(readFileSync(`${projectDir}/supervisor.pid`, 'utf8').split(' ')[0]);
  const cpu = (): number =>
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ')
      .slice(11, 13)
      .reduce((a, b) => a + Number(b), 0);
  const cpu0 = cpu();
  await new Promise((r) => setTimeout(r, 10_000));
  const cpuPct = ((cpu() - cpu0) / 100 / 10) * 100; // clock ticks (100 Hz) over 10 s
  const probes = containers.map(
    (c) => (JSON.parse(readFileSync(`${projectDir}/health/${c.id}.json`, 'utf8')) as { status: string }).status,
  );
  console.log(`containers ${N}, statuses ${[...new Set(probes)].join(',')}`);
  console.log(`ensureSupervisor start ${startMs.toFixed(0)} ms, reload ${reloadMs.toFixed(0)} ms`);
  console.log(`supervisor CPU ${cpuPct.toFixed(1)} % of one core (20 probes/s)`);
  console.log(`supervisor RSS ${status(pid, 'VmRSS').toFixed(1)} MiB, peak ${status(pid, 'VmHWM').toFixed(1)} MiB`);
} finally {
  for (const fn of undo.reverse())
    await Promise.resolve()
      .then(fn)
      .catch((e: unknown) => console.error('cleanup:', e));
  rmSync(root, { recursive: true, force: true });
}
