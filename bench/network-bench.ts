// Network benchmarks (root): `node --import tsx bench/network-bench.ts [--runs N]`.
//  1. attach: `ip netns add` + attach to a bridge (veth, addresses, default route), median of 20.
//  2. published-port throughput: 100 MB host → container, through the userland proxy on
//     127.0.0.1 vs straight to the container address, 9 interleaved runs each (medians). The proxy runs in this process and the
//     sender in its own process, as the supervisor and a client would.
// Internal modes (run inside/around namespaces): `sink HOST PORT`, `send HOST PORT BYTES`.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createNetworkManager, publish } from '../src/network/index.ts';

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);
const MB = 1 << 20;
const [mode, a1 = '', a2 = '0', a3 = '0'] = process.argv.slice(2);

function sink(): void {
  // Counts bytes and answers the count once the sender half-closes.
  const s = createServer({ allowHalfOpen: true }, (c) => {
    let n = 0;
    c.on('data', (d: Buffer) => (n += d.length));
    c.on('end', () => c.end(String(n)));
  });
  s.listen({ host: a1, port: Number(a2) }, () => console.log('ready'));
}

function send(): void {
  const total = Number(a3);
  const chunk = Buffer.alloc(256 * 1024, 7);
  const c = connect({ host: a1, port: Number(a2) });
  const t0 = process.hrtime.bigint();
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      sent += chunk.length;
      if (!c.write(chunk)) return void c.once('drain', pump);
    }
    c.end();
  };
  c.on('connect', pump);
  let reply = '';
  c.on('data', (d: Buffer) => (reply += d.toString()));
  c.on('close', () =>
    console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, received: Number(reply) })),
  );
}

const stats = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), min: s[0]!, p90: at(0.9) };
};
const fmt = (x: number): string => x.toFixed(1);

async function timedSend(host: string, port: number, bytes: number): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', SELF, 'send', host, String(port), String(bytes)]);
  const r = JSON.parse(stdout) as { ms: number; received: number };
  if (r.received < bytes) throw new Error(`only ${r.received} of ${bytes} bytes arrived`);
  return r.ms;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] ?? 0) || 20;
  const root = await mkdtemp(join(tmpdir(), 'gantry-net-bench-'));
  const m = createNetworkManager({ root });
  const net = await m.ensureNetwork({ id: `bench${process.pid}_default`, internal: false });
  const attachMs: number[] = [];
  const attachOnlyMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const ns = `gbench-${process.pid}-${i}`;
      const t0 = performance.now();
      await run('ip', ['netns', 'add', ns]);
      const t1 = performance.now();
      await m.attach(`/run/netns/${ns}`, net.id, { ifname: 'eth0', defaultRoute: true });
      attachMs.push(performance.now() - t0);
      attachOnlyMs.push(performance.now() - t1);
      await m.detach(`/run/netns/${ns}`, net.id);
      await run('ip', ['netns', 'del', ns]);
    }
    const a = stats(attachMs);
    const o = stats(attachOnlyMs);
    console.log(
      `attach (netns add + veth + address + route), ${runs} runs: median ${fmt(a.median)} ms, min ${fmt(a.min)}, p90 ${fmt(a.p90)}`,
    );
    console.log(`  of which attach() alone: median ${fmt(o.median)} ms, min ${fmt(o.min)}, p90 ${fmt(o.p90)}`);
    await throughput(m, net.id);
  } finally {
    await m.removeNetwork(net.id).catch(() => m.gc());
    await rm(root, { recursive: true, force: true });
  }
}

async function throughput(m: ReturnType<typeof createNetworkManager>, id: string): Promise<void> {
  const ns = `gbench-${process.pid}-tp`;
  await run('ip', ['netns', 'add', ns]);
  const { address } = await m.attach(`/run/netns/${ns}`, id, { ifname: 'eth0', defaultRoute: true });
  const server = spawn(
    'ip',
    ['netns', 'exec', ns, process.execPath, '--import', 'tsx', SELF, 'sink', address, '9000'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((r) => server.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && r()));
    const port = await publish({
      hostIp: '127.0.0.1',
      hostPort: 0,
      containerIp: address,
      containerPort: 9000,
      protocol: 'tcp',
    });
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let i = 0; i < 9; i++) {
      direct.push(await timedSend(address, 9000, 100 * MB));
      proxied.push(await timedSend('127.0.0.1', port.hostPort, 100 * MB));
    }
    await port.close();
    const d = stats(direct).median;
    const p = stats(proxied).median;
    console.log(`100 MB direct to ${address}: median ${fmt(d)} ms (${fmt((100 / d) * 1000)} MB/s)`);
    console.log(
      `100 MB via proxy 127.0.0.1:${port.hostPort}: median ${fmt(p)} ms (${fmt((100 / p) * 1000)} MB/s), ${(p / d).toFixed(2)}× direct`,
    );
  } finally {
    server.kill('SIGKILL');
    await m.detach(`/run/netns/${ns}`, id);
    await run('ip', ['netns', 'del', ns]);
  }
}

if (mode === 'sink') sink();
else if (mode === 'send') send();
else await main();
