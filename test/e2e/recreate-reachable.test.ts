// Issue 15's race, as a user meets it: right after an `up --wait` that recreated a published
// service, its ports and its peers' names answer at once, with no retry. On 79e63b9 they did not,
// for seconds: the bridge took the lowest MAC of its ports, so it changed as web's veths came and
// went, and the containers that stayed (db, the restarted job) kept sending to the gateway's old
// MAC (the job's lookup of db: "bad address"); and a new web got its predecessor's address with a
// fresh MAC, so the host's published-port proxy kept connecting to the old one (timeouts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, uniq } from './lifecycle-helpers.ts';

const ROUNDS = 4;
const REPLICAS = 3;

const compose = (base: number): string => `
services:
  db:
    image: ${IMG}
    init: true
    command: ["httpd", "-f", "-p", "5432", "-h", "/etc"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:5432/passwd"]
      interval: 300ms
      retries: 30
  job:
    image: ${IMG}
    # its first instruction looks its dependency up, through 127.0.0.11
    command: ["sh", "-c", "wget -q -O /dev/null http://db:5432/passwd"]
    depends_on: { db: { condition: service_healthy } }
  web:
    image: ${IMG}
    init: true
    environment: { RELEASE: "\${RELEASE}" }
    command: ["sh", "-c", "mkdir -p /www && echo release $$RELEASE > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["${base}-${base + REPLICAS - 1}:80"]
    deploy: { replicas: ${REPLICAS} }
    depends_on: { job: { condition: service_completed_successfully } }
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"]
      interval: 300ms
      retries: 30
`;

const IDENTITY = 'echo $(hostname -i) $(cat /sys/class/net/eth0/address)';

/** One try, 2 s at most: a connection to a MAC no longer there would hang far longer. */
async function pageOnce(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
  return (await res.text()).trim();
}

test('after each up --wait that recreates web, its ports and the peers by name answer at once', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('reach');
  const base = 21460 + (process.pid % 150) * REPLICAS;
  const dir = e.project(name, { 'compose.yaml': compose(base), '.env': 'RELEASE=0\n' });
  const gantry = (...args: string[]) => e.gantry(['-p', name, ...args], { cwd: dir, timeoutMs: 180_000 });
  const first = await gantry('up', '-d', '--wait');
  assert.equal(first.exitCode, 0, first.stderr);
  const record = JSON.parse(readFileSync(join(e.root, 'networks', `${name}_default.json`), 'utf8')) as {
    bridge: string;
  };
  const macOf = (): string => readFileSync(`/sys/class/net/${record.bridge}/address`, 'utf8').trim();
  const bridgeMac = macOf();
  const ports = Array.from({ length: REPLICAS }, (_, i) => base + i);
  for (const p of ports) assert.equal(await pageOnce(p), 'release 0');
  // address → MAC of each replica, as its neighbours cached it
  const macs = new Map<string, string>();
  const webMacs = async (round: number): Promise<void> => {
    for (let i = 1; i <= REPLICAS; i++) {
      const r = await gantry('exec', '-T', '--index', String(i), 'web', 'sh', '-c', IDENTITY);
      const [address, mac] = r.stdout.trim().split(' ');
      assert.ok(address && mac, `round ${round}: ${r.stdout} ${r.stderr}`);
      const had = macs.get(address);
      assert.ok(had === undefined || had === mac, `round ${round}: ${address} was ${had}, now ${mac}`);
      macs.set(address, mac);
    }
  };
  await webMacs(0);

  for (let round = 1; round <= ROUNDS; round++) {
    writeFileSync(join(dir, '.env'), `RELEASE=${round}\n`);
    const up = await gantry('up', '-d', '--wait');
    assert.equal(up.exitCode, 0, `round ${round}: ${up.stderr}`); // the job's lookup of db failed otherwise
    const job = (await psAll(e, dir)).find((r) => r.Service === 'job');
    assert.equal(job?.ExitCode, 0, `round ${round}: the job ran again and reached db by name`);
    assert.equal(macOf(), bridgeMac, `round ${round}: the gateway's MAC is the one every container cached`);
    for (const p of ports) assert.equal(await pageOnce(p), `release ${round}`, `round ${round}, port ${p}`);
    await webMacs(round); // a recreated replica that got a removed one's address has its MAC too
    // a container that stayed reaches the recreated ones by name at once
    const fromDb = await gantry('exec', '-T', 'db', 'wget', '-q', '-O-', 'http://web/');
    assert.equal(fromDb.stdout.trim(), `release ${round}`, `round ${round}: ${fromDb.stderr}`);
  }
  const down = await gantry('down');
  assert.equal(down.exitCode, 0, down.stderr);
});
