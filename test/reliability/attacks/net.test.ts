// Attack corpus, class "net": two projects with their own networks probe each other, a project's
// front and back networks probe each other, the host's other interfaces knock on unpublished
// ports, containers ask other networks' DNS, and a flood of UDP clients hits a published port.
// Held means Docker's behaviour: only a container's own networks reach it, each network's DNS
// answers only its members, the UDP proxy holds a bounded number of sockets. The controls
// (same network, a service on both networks, published ports, egress) must keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { e2eRoot } from '../../helpers/engine-e2e.ts';
import { makeTestAddress } from '../../helpers/test-address.ts';
import {
  fdCount,
  fetchScript,
  inService,
  lookupScript,
  member,
  netFacts,
  projectA,
  projectB,
  supervisorPid,
  udpFlood,
} from '../../helpers/attack-net.ts';

const UDP_CAP = 1024; // the proxy's documented cap on client sockets per published UDP port
const FLOOD = process.env['GANTRY_ATTACKS_FULL'] === '1' ? 20_000 : 5000; // full: bench/attacks.sh

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('net attacks: networks and projects are isolated, DNS answers members only, proxies are bounded', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const outside = makeTestAddress('n'); // plays "the host's other interfaces" and the egress target
  t.after(() => outside.remove());
  const a = `na${process.pid}`;
  const b = `nb${process.pid}`;
  const [pubPort, udpPort] = [await freePort(), await freePort()];
  const dirA = e.project(a, { 'compose.yaml': projectA(a, outside.hostIp, pubPort, udpPort) });
  const dirB = e.project(b, { 'compose.yaml': projectB(b) });
  for (const dir of [dirA, dirB]) {
    const up = await e.gantry(['up', '-d'], { cwd: dir, timeoutMs: 180_000 });
    assert.equal(up.exitCode, 0, up.stderr);
  }
  const front = netFacts(e.root, `${a}_front`);
  const back = netFacts(e.root, `${a}_back`);
  const bnet = netFacts(e.root, `${b}_default`);
  const frontIp = member(front, `${a}-front-1`);
  const backIp = member(back, `${a}-back-1`);
  const inA = (svc: string, script: string) => inService(e, dirA, svc, script);
  const inB = (script: string) => inService(e, dirB, 'probe', script);

  await t.test('attack net-01: a container of project B connects to containers of project A is held', async () => {
    const r = await inB(`${fetchScript(frontIp, 8080)}; echo SEP; ${fetchScript(backIp, 8080)}`);
    assert.doesNotMatch(r.out, /A-FRONT|A-BACK/, `B reached A: ${r.out}`);
    const ping = await inB(`ping -c 1 -W 2 ${member(front, `${a}-both-1`)} >/dev/null 2>&1 && echo PINGED; true`);
    assert.doesNotMatch(ping.out, /PINGED/, 'not even ICMP crosses');
  });

  await t.test('attack net-02: a service only on front connects to a service only on back is held', async () => {
    const r = await inA('front', fetchScript(backIp, 8080));
    assert.doesNotMatch(r.out, /A-BACK/, `front reached back: ${r.out}`);
    const both = await inA('both', `${fetchScript(frontIp, 8080)}; ${fetchScript(backIp, 8080)}`);
    assert.match(both.out, /A-FRONT[\s\S]*A-BACK/, `a service on both networks reaches both: ${both.out}`);
  });

  await t.test("attack net-03: the host's other interfaces connect to an unpublished port is held", async () => {
    execFileSync('ip', ['-n', outside.netns, 'route', 'replace', front.subnet, 'via', outside.hostIp]);
    const r = outside.inNetns(['sh', '-c', fetchScript(frontIp, 8080, 'busybox nc')], 20_000);
    assert.doesNotMatch(r.out, /A-FRONT/, `an outside address reached an unpublished port: ${r.out}`);
    const published = outside.inNetns(['sh', '-c', fetchScript(outside.hostIp, pubPort, 'busybox nc')], 20_000);
    assert.match(published.out, /A-FRONT/, `the published port answers: ${published.out}`);
  });

  await t.test("attack net-04: containers ask another network's DNS for its names is held", async () => {
    const fromB = await inB(`${lookupScript(`${a}-front-1`, front.gateway)}; ${lookupScript('front', front.gateway)}`);
    assert.ok(!fromB.out.includes(frontIp), `A's DNS answered B: ${fromB.out}`);
    const ownDns = await inB(`${lookupScript('front', bnet.gateway)}; ${lookupScript(`${a}-front-1`, bnet.gateway)}`);
    assert.ok(!ownDns.out.includes(frontIp), `B's DNS knows A's names: ${ownDns.out}`);
    const fromFront = await inA('front', lookupScript('back', back.gateway));
    assert.ok(!fromFront.out.includes(backIp), `back's DNS answered a front-only service: ${fromFront.out}`);
    const member_ = await inA('both', `${lookupScript('back', back.gateway)}; ${lookupScript('front', front.gateway)}`);
    assert.ok(member_.out.includes(backIp) && member_.out.includes(frontIp), `members are answered: ${member_.out}`);
  });

  await t.test('isolation keeps egress and published ports across projects working', async () => {
    const www = join(e.root, 'www');
    mkdirSync(www, { recursive: true });
    writeFileSync(join(www, 'index.html'), 'OUTSIDE\n');
    const server = spawn('ip', ['netns', 'exec', outside.netns, 'busybox', 'httpd', '-f', '-p', '8080', '-h', www], {
      stdio: 'ignore',
    });
    t.after(() => void server.kill('SIGKILL'));
    // httpd may take a while to listen under load: wait until it answers inside its own netns.
    const listening = () => outside.inNetns(['sh', '-c', fetchScript('127.0.0.1', 8080, 'busybox nc')]).out;
    for (let end = Date.now() + 30_000; !/OUTSIDE/.test(listening()) && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 100));
    assert.match(listening(), /OUTSIDE/, 'the outside server listens');
    const egress = await inB(fetchScript(outside.peerIp, 8080));
    assert.match(egress.out, /OUTSIDE/, `egress from a non-internal network: ${egress.out}`);
    const internal = await inA('back', fetchScript(outside.peerIp, 8080));
    assert.doesNotMatch(internal.out, /OUTSIDE/, `no egress from an internal network: ${internal.out}`);
    const pub = await inB(fetchScript(outside.hostIp, pubPort));
    assert.match(pub.out, /A-FRONT/, `B reaches A's published port through the host: ${pub.out}`);
  });

  await t.test(`attack net-05: ${FLOOD} UDP clients make the port proxy hold a socket each is held`, async (st) => {
    const pid = supervisorPid(e.root, a);
    const before = fdCount(pid);
    await udpFlood(udpPort, FLOOD);
    let after = fdCount(pid);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 150));
      after = Math.max(after, fdCount(pid));
    }
    st.diagnostic(`supervisor descriptors: ${before} before, ${after} after ${FLOOD} clients`);
    // Slack: libuv closes an evicted socket's descriptor at the end of the loop turn that read a
    // burst of datagrams (up to 32 per read), and the supervisor opens a few files of its own.
    assert.ok(after - before <= UDP_CAP + 64, `the supervisor went from ${before} to ${after} descriptors`);
  });
});
