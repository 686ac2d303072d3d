// A tiny client/server run inside test namespaces (`ip netns exec NS node --import tsx …`):
//   serve-tcp|serve-udp HOST PORT TAG       answers "TAG from=<peer address> got=<data>", prints "ready"
//   ask-tcp|ask-udp TARGET PORT MSG [DNS]   TARGET may be a name, resolved through DNS first
//   resolve NAME DNS                        prints the A records as JSON
import { createServer, connect, isIP } from 'node:net';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';

const [cmd, a1 = '', a2 = '0', a3 = '', a4] = process.argv.slice(2);
const TIMEOUT_MS = 3000;

async function resolveVia(name: string, server: string | undefined): Promise<string> {
  if (isIP(name) || server === undefined) return name;
  const r = new Resolver({ timeout: 1500, tries: 1 });
  r.setServers([server]);
  const [first] = await r.resolve4(name);
  return first!;
}

function serveTcp(): void {
  const s = createServer((c) =>
    c.once('data', (d: Buffer) => c.end(`${a3} from=${c.remoteAddress} got=${d.toString()}`)),
  );
  s.listen({ host: a1, port: Number(a2) }, () => console.log('ready'));
}

function serveUdp(): void {
  const s = createSocket('udp4');
  s.on('message', (m, r) => s.send(`${a3} from=${r.address} got=${m.toString()}`, r.port, r.address));
  s.bind({ address: a1, port: Number(a2) }, () => console.log('ready'));
}

function askTcp(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect({ host, port: Number(a2), timeout: TIMEOUT_MS });
    let out = '';
    c.on('timeout', () => c.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    c.on('error', reject);
    c.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', () => resolve(out));
    c.write(a3);
  });
}

function askUdp(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), TIMEOUT_MS);
    s.on('error', reject);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m.toString());
    });
    s.send(a3, Number(a2), host);
  });
}

async function main(): Promise<void> {
  if (cmd === 'serve-tcp') return serveTcp();
  if (cmd === 'serve-udp') return serveUdp();
  if (cmd === 'resolve') {
    const r = new Resolver({ timeout: 1500, tries: 1 });
    r.setServers([a2]);
    console.log(JSON.stringify(await r.resolve4(a1)));
    return;
  }
  const host = await resolveVia(a1, a4);
  console.log(cmd === 'ask-udp' ? await askUdp(host) : await askTcp(host));
}

main().catch((e: NodeJS.ErrnoException) => {
  console.log(`error ${e.code ?? e.message}`);
  process.exit(1);
});
