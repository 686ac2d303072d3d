// DNS like Docker's (issue 15), from the CLI: every container with a network resolves through
// 127.0.0.11 inside its own namespace (resolv.conf says so; `resolver 127.0.0.11` in nginx works):
// service names, aliases and link aliases, NXDOMAIN for unknown names, over UDP and TCP; with `dns:`
// set, service names still resolve and other names go to those servers; /etc/hosts maps the
// hostname to the container's own address. On 9d45363 resolv.conf named the bridge gateway, nothing
// listened on 127.0.0.11, `dns:` replaced service discovery, and the hostname was 127.0.1.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { logsUntil } from '../helpers/logs-until.ts';
import { queryIn } from '../helpers/dns-query.ts';

const IMG = 'gantry-test/busybox:latest';

const PROBE = [
  'sed "s/^/resolv=/" /etc/resolv.conf',
  'echo self=$(awk -v h=$(hostname) "\\$2 == h {print \\$1}" /etc/hosts) eth0=$(ip -4 addr show eth0 | awk "/inet / {print \\$2}" | cut -d/ -f1)',
  'echo hostname-i=$(hostname -i 2>&1)',
  'for n in db db-alias legacy upstream.test; do echo $$n=$(nslookup $$n 127.0.0.11 2>&1 | awk "/^Address/ {a=\\$$NF} END {print a}"); done',
  'echo nope=$(nslookup nope 127.0.0.11 2>&1 | grep -q NXDOMAIN && echo 1)',
  'echo DONE; exec sleep 600',
].join('; ');

/** An upstream resolver on a loopback address of the host: it answers upstream.test, A 192.0.2.7. */
async function stubUpstream(address: string): Promise<() => void> {
  const sock = createSocket('udp4');
  sock.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    const name = q.questions?.[0]?.name ?? '';
    const answers: dnsPacket.Answer[] =
      name === 'upstream.test' && q.questions?.[0]?.type === 'A'
        ? [{ type: 'A', name, class: 'IN', ttl: 5, data: '192.0.2.7' }]
        : [];
    const flags = dnsPacket.RECURSION_AVAILABLE | (name === 'upstream.test' ? 0 : 3);
    sock.send(
      dnsPacket.encode({ type: 'response', id: q.id ?? 0, flags, questions: q.questions ?? [], answers }),
      r.port,
      r.address,
    );
  });
  sock.bind(53, address);
  await once(sock, 'listening');
  return () => sock.close();
}

test('127.0.0.11 in every container: names, aliases, links, NXDOMAIN, TCP, dns: forwarding, /etc/hosts', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const upstream = `127.53.${(process.pid >> 8) & 255}.${process.pid & 255}`;
  t.after(await stubUpstream(upstream));
  const name = `e2e${process.pid}dns`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db:
    networks: { default: { aliases: [db-alias] } }
    image: ${IMG}
    command: sleep 600
    init: true
  web:
    image: ${IMG}
    init: true
    depends_on: [db]
    links: ["db:legacy"]
    dns: ["${upstream}"]
    dns_search: [example.test]
    command: ["sh", "-c", ${JSON.stringify(PROBE)}]
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const out = await logsUntil(e, dir, 'web', (s) => s.includes('DONE'));
  assert.match(out, /^resolv=nameserver 127\.0\.0\.11$/m, out);
  assert.doesNotMatch(out, new RegExp(`^resolv=nameserver (?!127\\.0\\.0\\.11$)`, 'm'), 'no other nameserver');
  assert.match(out, /^resolv=search example\.test$/m);
  assert.match(out, /^resolv=options ndots:0$/m);
  const self = /^self=(\S*) eth0=(\S+)$/m.exec(out);
  assert.ok(self, out);
  assert.equal(self[1], self[2], '/etc/hosts maps the hostname to the container address');
  assert.match(out, new RegExp(`^hostname-i=${self[2]!.replace(/\./g, '\\.')}$`, 'm'), 'hostname -i');
  const dbAddr = /^db=(\d+\.\d+\.\d+\.\d+)$/m.exec(out)?.[1];
  assert.ok(dbAddr, out);
  assert.match(out, new RegExp(`^db-alias=${dbAddr.replace(/\./g, '\\.')}$`, 'm'), 'a network alias');
  assert.match(out, new RegExp(`^legacy=${dbAddr.replace(/\./g, '\\.')}$`, 'm'), 'a link alias');
  assert.match(out, /^upstream\.test=192\.0\.2\.7$/m, 'with dns: set, other names go to those servers');
  assert.match(out, /^nope=1$/m, 'an unknown name is NXDOMAIN');

  const web = pidOf(e.root, `${name}-web-1`);
  for (const proto of ['udp', 'tcp'] as const) {
    assert.deepEqual(queryIn(web, 'db', proto), { rcode: 0, addresses: [dbAddr] }, proto);
    assert.deepEqual(queryIn(web, 'legacy', proto), { rcode: 0, addresses: [dbAddr] }, proto);
    assert.equal(queryIn(web, 'nope', proto).rcode, 3, `${proto}: NXDOMAIN`);
  }
  const db = pidOf(e.root, `${name}-db-1`);
  assert.deepEqual(queryIn(db, 'web', 'udp').rcode, 0, 'db has its own 127.0.0.11');
  assert.equal(queryIn(db, 'legacy', 'udp').rcode, 3, 'a link alias is for the linking container only');
});

test('a container on two networks resolves the names of both through its one 127.0.0.11', async (t) => {
  // On 9d45363 the relay asked only the primary network's responder: the other network's names were NXDOMAIN.
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}dnstwo`;
  const each = 'echo $$n=$(nslookup $$n 127.0.0.11 2>&1 | awk "/^Address/ {a=\\$$NF} END {print a}")';
  const probe = [`for n in web db web.front db.back; do ${each}; done`, 'echo DONE; exec sleep 600'].join('; ');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  web: {image: ${IMG}, init: true, networks: [front], command: [sleep, "600"]}
  db: {image: ${IMG}, init: true, networks: [back], command: [sleep, "600"]}
  app:
    image: ${IMG}
    init: true
    networks: [front, back]
    depends_on: [web, db]
    command: ["sh", "-c", ${JSON.stringify(probe)}]
networks:
  front: {}
  back: {}
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const out = await logsUntil(e, dir, 'app', (s) => s.includes('DONE'));
  // Each name only on its own network: whichever network is app's primary, one of them is on the other.
  const webAddr = queryIn(pidOf(e.root, `${name}-web-1`), 'web', 'udp').addresses[0];
  const dbAddr = queryIn(pidOf(e.root, `${name}-db-1`), 'db', 'udp').addresses[0];
  assert.ok(webAddr && dbAddr, 'web and db resolve themselves');
  const esc = (x: string): string => x.replace(/\./g, '\\.');
  const expected = { web: webAddr, db: dbAddr, 'web.front': webAddr, 'db.back': dbAddr };
  for (const [n, addr] of Object.entries(expected)) {
    assert.match(out, new RegExp(`^${esc(n)}=${esc(addr)}$`, 'm'), `${n}: ${out}`);
  }
  const app = pidOf(e.root, `${name}-app-1`);
  for (const proto of ['udp', 'tcp'] as const) {
    assert.deepEqual(queryIn(app, 'db', proto), { rcode: 0, addresses: [dbAddr] }, proto);
    assert.deepEqual(queryIn(app, 'web', proto), { rcode: 0, addresses: [webAddr] }, proto);
  }
  assert.equal(queryIn(pidOf(e.root, `${name}-web-1`), 'db', 'udp').rcode, 3, 'web (front only) does not see db');
});

const pidOf = (root: string, container: string): number =>
  (JSON.parse(readFileSync(join(root, 'containers', container, 'state.json'), 'utf8')) as { pid: number }).pid;

test('network_mode service:X: X resolver (127.0.0.11) and X bridge for host-gateway', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}dnsside`;
  const probe = [
    'echo gw=$(ip route | awk "/default/ {print \\$3}") hostgw=$(awk "/hostgw/ {print \\$1}" /etc/hosts)',
    'sed "s/^/resolv=/" /etc/resolv.conf',
    'echo other=$(nslookup other 2>&1 | awk "/^Address/ {a=\\$$NF} END {print a}")',
    'echo DONE; exec sleep 600',
  ].join('; ');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  main:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
  other:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
  side:
    image: ${IMG}
    init: true
    network_mode: "service:main"
    extra_hosts: ["hostgw:host-gateway"]
    depends_on: [main, other]
    command: ["sh", "-c", ${JSON.stringify(probe)}]
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const out = await logsUntil(e, dir, 'side', (s) => s.includes('DONE'));
  const gw = /^gw=(\S+) hostgw=(\S*)$/m.exec(out);
  assert.ok(gw?.[1], out);
  assert.equal(gw[2], gw[1], "host-gateway is the host's address on main's bridge");
  assert.match(out, /^resolv=nameserver 127\.0\.0\.11$/m);
  assert.match(out, /^other=\d+\.\d+\.\d+\.\d+$/m, "names resolve through main's 127.0.0.11");
});
