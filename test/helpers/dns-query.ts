// A DNS query for an A record sent from inside a network namespace (nsenter into a container's
// netns, then a dependency-free node script), over UDP or TCP, to read what a program there gets:
// the rcode and the addresses of the answer.
import { execFileSync } from 'node:child_process';

export interface DnsReply {
  readonly rcode: number; // 0 NOERROR, 3 NXDOMAIN
  readonly addresses: readonly string[];
}

// Runs in the namespace: argv = server, name, tcp|udp; prints "rcode a.b.c.d ...".
const SCRIPT = `
const [server, name, proto] = process.argv.slice(1);
const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
const q = Buffer.concat([Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
const done = (r) => {
  const an = r.readUInt16BE(6);
  let p = q.length, out = [];
  for (let i = 0; i < an; i++) {
    p += r[p] >= 0xc0 ? 2 : r.indexOf(0, p) + 1 - p;
    const type = r.readUInt16BE(p), len = r.readUInt16BE(p + 8);
    if (type === 1) out.push([...r.subarray(p + 10, p + 14)].join('.'));
    p += 10 + len;
  }
  console.log([r[3] & 15, ...out].join(' '));
  process.exit(0);
};
setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000);
if (proto === 'tcp') {
  const s = require('node:net').connect(53, server, () => s.write(Buffer.concat([Buffer.from([q.length >> 8, q.length & 255]), q])));
  let b = Buffer.alloc(0);
  s.on('data', (d) => { b = Buffer.concat([b, d]); if (b.length >= 2 && b.length >= 2 + b.readUInt16BE(0)) done(b.subarray(2)); });
} else {
  const s = require('node:dgram').createSocket('udp4');
  s.on('message', (m) => done(m));
  s.send(q, 53, server);
}
`;

export function queryIn(pid: number, name: string, proto: 'udp' | 'tcp', server = '127.0.0.11'): DnsReply {
  const out = execFileSync('nsenter', ['-t', String(pid), '-n', process.execPath, '-e', SCRIPT, server, name, proto], {
    encoding: 'utf8',
    timeout: 15_000,
  }).trim();
  const [rcode, ...addresses] = out.split(' ');
  return { rcode: Number(rcode), addresses };
}
