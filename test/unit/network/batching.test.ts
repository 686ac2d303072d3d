// Requests that arrive together share `ip` runs: attaches to one network share one lock turn and
// one host-side batch; namespace adds/deletes share one batch. A bad request still fails alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetworkManager, type NetHost } from '../../../src/network/index.ts';
import { queueIpLine } from '../../../src/network/batch-queue.ts';
import { parsePools } from '../../../src/network/pools.ts';
import { vethsHostDeleteLines, scratchGroup } from '../../../src/network/veth.ts';

/** Records each ipBatch call (one `ip` process) and fails any batch holding a line matching `bad`. */
function batchHost(bad?: RegExp) {
  const runs: { ns: string; lines: readonly string[] }[] = [];
  const links = new Set<string>(['lo']);
  const host: NetHost = {
    async ipBatch(lines, ns) {
      await new Promise((r) => setTimeout(r, 5)); // a process takes a while: others queue meanwhile
      runs.push({ ns: ns ?? 'host', lines });
      for (const l of lines) {
        if (bad?.test(`${ns ?? 'host'}: ${l}`)) throw new Error(`bad line: ${l}`);
        const add = /^link add (?:name )?(\S+)/.exec(l);
        const del = /^link del (\S+)/.exec(l);
        if (add && ns === undefined) links.add(add[1]!);
        if (del && ns === undefined) links.delete(del[1]!);
      }
    },
    ipJson: async () => [...links].map((ifname) => ({ ifname })),
    detectFirewall: async () => 'none',
    iptablesSave: async () => '',
    iptablesRestore: async () => undefined,
    nft: async () => undefined,
    nftTables: async () => [],
    readSysctl: async () => '1',
    writeSysctl: async () => undefined,
  };
  return { host, runs, links };
}

async function manager(t: { after: (fn: () => Promise<void>) => void }, host: NetHost) {
  const root = await mkdtemp(join(tmpdir(), `gantry-batch-unit-${process.pid}-`));
  t.after(() => rm(root, { recursive: true, force: true }));
  const m = createNetworkManager({
    root,
    host,
    lockFile: join(root, 'lock'),
    pools: parsePools('10.77.0.0/16:24'),
    warn: () => undefined,
  });
  const net = await m.ensureNetwork({ id: 'b_default', internal: false });
  return { m, net };
}

const hostAdds = (runs: readonly { ns: string; lines: readonly string[] }[]) =>
  runs.filter((r) => r.ns === 'host' && r.lines.some((l) => l.startsWith('link add') && l.includes('type veth')));

test('attaches arriving together share host batches and get distinct addresses', async (t) => {
  const { host, runs } = batchHost();
  const { m, net } = await manager(t, host);
  runs.length = 0;
  const eps = await Promise.all(
    [0, 1, 2, 3, 4, 5].map((i) =>
      m.attach(`/run/netns/c${i}`, net.id, { ifname: 'eth0', defaultRoute: true, owner: `c${i}` }),
    ),
  );
  assert.equal(new Set(eps.map((e) => e.address)).size, 6);
  // The first attach takes the lock alone; the five queued behind it share the next turn.
  assert.ok(hostAdds(runs).length <= 2, `host-side veth batches: ${hostAdds(runs).length}`);
  assert.equal(runs.filter((r) => r.ns !== 'host').length, 6); // one in-namespace batch each
  const rec = (await m.list()).find((n) => n.id === net.id)!;
  assert.deepEqual(
    rec.endpoints.map((e) => [e.owner, e.state]).sort(),
    [0, 1, 2, 3, 4, 5].map((i) => [`c${i}`, 'ready']),
  );
});

test('a failing or invalid attach in a shared turn fails alone and leaves no veth', async (t) => {
  const { host, links } = batchHost(/^\/run\/netns\/c2: /);
  const { m, net } = await manager(t, host);
  const reqs = [0, 1, 2, 3].map((i) =>
    m.attach(`/run/netns/c${i}`, net.id, { ifname: i === 3 ? 'eth 0' : 'eth0', defaultRoute: true, owner: `c${i}` }),
  );
  const settled = await Promise.allSettled(reqs);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'fulfilled', 'rejected', 'rejected'],
  );
  assert.match(String((settled[2] as PromiseRejectedResult).reason), /bad line/);
  assert.match(String((settled[3] as PromiseRejectedResult).reason), /invalid interface name/);
  const rec = (await m.list()).find((n) => n.id === net.id)!;
  assert.deepEqual(rec.endpoints.map((e) => e.owner).sort(), ['c0', 'c1']);
  const veths = [...links].filter((l) => l !== 'lo' && l !== net.bridge);
  assert.deepEqual(veths.sort(), rec.endpoints.map((e) => e.hostVeth).sort());
});

test('a failing host batch is retried one attach at a time', async (t) => {
  const { host, links } = batchHost();
  const { m, net } = await manager(t, host);
  let fail = true;
  const inner = host.ipBatch.bind(host);
  host.ipBatch = async (lines, ns) => {
    // The first shared host batch fails half way, as `ip -batch` does on a bad line.
    if (fail && ns === undefined && lines.filter((l) => l.includes('type veth')).length > 1) {
      fail = false;
      await inner(lines.slice(0, 3));
      throw new Error('batch failed');
    }
    return inner(lines, ns);
  };
  const eps = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      m.attach(`/run/netns/r${i}`, net.id, { ifname: 'eth0', defaultRoute: false, owner: `r${i}` }),
    ),
  );
  assert.equal(fail, false, 'the shared batch ran');
  assert.equal(new Set(eps.map((e) => e.hostVeth)).size, 4);
  const rec = (await m.list()).find((n) => n.id === net.id)!;
  assert.equal(rec.endpoints.filter((e) => e.state === 'ready').length, 4);
  const veths = [...links].filter((l) => l !== 'lo' && l !== net.bridge);
  assert.deepEqual(veths.sort(), rec.endpoints.map((e) => e.hostVeth).sort()); // the half-made one went
});

test('lines queued together run as one batch; after a failure only lines not yet done are redone', async () => {
  const ok = batchHost();
  await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => queueIpLine(ok.host, `netns add ${n}`, () => false)));
  assert.deepEqual(
    ok.runs.map((r) => r.lines.length),
    [5],
  );
  const bad = batchHost(/netns del c$/);
  const done = new Set<string>();
  const inner = bad.host.ipBatch.bind(bad.host);
  bad.host.ipBatch = async (lines, ns) => {
    // Like `ip -batch`: lines before the bad one take effect, the rest do not run.
    for (const l of lines) {
      await inner([l], ns);
      done.add(l);
    }
  };
  const settled = await Promise.allSettled(
    ['a', 'b', 'c', 'd'].map((n) => queueIpLine(bad.host, `netns del ${n}`, () => done.has(`netns del ${n}`))),
  );
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(
    bad.runs.map((r) => r.lines.join()),
    ['netns del a', 'netns del b', 'netns del c', 'netns del c', 'netns del d'],
  );
});

test('several host ends go in one group delete; a single one by name', () => {
  assert.deepEqual(vethsHostDeleteLines(['gt-a', 'gt-b', 'gt-c'], 1234567890), [
    'link set dev gt-a group 1234567890',
    'link set dev gt-b group 1234567890',
    'link set dev gt-c group 1234567890',
    'link del group 1234567890',
  ]);
  assert.deepEqual(vethsHostDeleteLines(['gt-a'], 7), ['link del gt-a']);
  for (let i = 0; i < 1000; i++) {
    const g = scratchGroup();
    assert.ok(Number.isInteger(g) && g >= 0x40000000 && g < 0x80000000, String(g)); // a positive s32, never the default group 0
  }
});
