// Supervisor test fixture: a temp GANTRY_ROOT with a runtime, a project dir and helpers to start
// busybox containers (optionally on a real bridge network), write the supervision set and ask
// DNS questions. Everything is removed at the end, even when the test fails: supervisor first
// (it holds sockets), then containers, endpoints, networks, namespaces, the root.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import dnsPacket from 'dns-packet';
import { createRuntime, type ContainerSpec, type Runtime } from '../../../src/runtime/index.ts';
import { createNetworkManager, type NetworkManager } from '../../../src/network/index.ts';
import { stateDirs } from '../../../src/common/state-root.ts';
import { stopSupervisor } from '../../../src/supervisor/index.ts';
import type { SupervisedContainer, SupervisionSet } from '../../../src/supervisor/contract.ts';
import { busyboxRootfs } from '../../helpers/rootfs.ts';
import { cleanupStack, makeNetns, type Defer } from '../../helpers/netns.ts';
import '../../helpers/rootfs-runtime.ts'; // builds the native shim

const ROOTFS = busyboxRootfs();

export interface ProjectFixture {
  readonly root: string;
  readonly project: string;
  readonly projectDir: string;
  readonly rt: Runtime;
  readonly nets: NetworkManager;
  readonly defer: Defer;
  /** Creates and starts `<project>-<name>`; with netns it joins that namespace. */
  start(name: string, args: readonly string[], extra?: Partial<ContainerSpec>): Promise<string>;
  /** A fresh namespace attached to the network; returns its path and address. */
  endpoint(networkId: string, owner: string): Promise<{ path: string; address: string }>;
  writeSet(set: Omit<SupervisionSet, 'project' | 'generation'>): SupervisionSet;
}

export function projectFixture(t: TestContext, tag: string): ProjectFixture {
  // node:test runs after-hooks first-in first-out: the supervisor goes first, so nothing restarts
  // containers or holds sockets while the rest is deleted.
  let projectDir = '';
  t.after(() => stopSupervisor(projectDir));
  const defer = cleanupStack(t);
  const root = mkdtempSync(join(tmpdir(), `gantry-sup-${tag}-${process.pid}-`));
  const project = `sv${tag}${process.pid}`;
  projectDir = join(stateDirs(root).projects, project);
  mkdirSync(projectDir, { recursive: true });
  const rt = createRuntime({ root });
  const nets = createNetworkManager({ root: stateDirs(root).networks });
  let generation = 0;
  defer(() => rmSync(root, { recursive: true, force: true }));
  defer(async () => {
    for (const c of await rt.list()) await rt.delete(c.id, { force: true }).catch(() => {});
  });
  const f: ProjectFixture = {
    root,
    project,
    projectDir,
    rt,
    nets,
    defer,
    async start(name, args, extra = {}) {
      const id = `${project}-${name}`;
      await rt.create(id, {
        rootfs: { layers: [ROOTFS], readOnly: false },
        process: { args, env: ['PATH=/bin'], cwd: '/' },
        ...extra,
      });
      await rt.start(id);
      return id;
    },
    async endpoint(networkId, owner) {
      const ns = await makeNetns(defer, `${tag}-${owner}`);
      const r = await nets.attach(ns.path, networkId, { ifname: 'eth0', defaultRoute: true, owner });
      defer(() => nets.detach(ns.path, networkId).catch(() => {}));
      return { path: ns.path, address: r.address };
    },
    writeSet(partial) {
      const set: SupervisionSet = { project, generation: ++generation, ...partial };
      writeFileSync(join(projectDir, 'supervision.json.tmp'), JSON.stringify(set));
      renameSync(join(projectDir, 'supervision.json.tmp'), join(projectDir, 'supervision.json'));
      return set;
    },
  };
  return f;
}

export const container = (
  id: string,
  service: string,
  extra: Partial<SupervisedContainer> = {},
): SupervisedContainer => ({
  id,
  service,
  number: 1,
  restart: { kind: 'no' },
  endpoints: [],
  ports: [],
  ...extra,
});

/** One UDP question to server:53 (or port); resolves with the rcode and the A records. */
export async function askA(server: string, name: string, port = 53): Promise<{ rcode: string; addrs: string[] }> {
  const s = createSocket('udp4');
  try {
    const id = Math.floor(Math.random() * 65535);
    s.send(
      dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }),
      port,
      server,
    );
    const timer = setTimeout(() => s.emit('error', new Error(`no DNS answer from ${server} for ${name}`)), 3000);
    const [msg] = (await once(s, 'message')) as [Buffer];
    clearTimeout(timer);
    const p = dnsPacket.decode(msg) as { rcode?: string; answers?: { type: string; data?: unknown }[] };
    return {
      rcode: p.rcode ?? 'NOERROR',
      addrs: (p.answers ?? []).filter((a) => a.type === 'A').map((a) => String(a.data)),
    };
  } finally {
    s.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls cond every 50 ms until it holds; fails with what after timeoutMs. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
