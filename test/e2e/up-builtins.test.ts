// A bridged `up -d` draws a random name for each container's host veth, and on 3339708 that was its
// only use of node:crypto: its load and seeding (36 builtins) sat on the main thread between the
// network's rules and the attach of the containers (issue 20, bench/RESULTS.md "up13"). Random
// suffixes now come from /dev/urandom (common/lazy-crypto.ts): the up loads no node:crypto, and
// each veth still has a name of its own.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

const HOOK =
  "process.on('exit', () => process.stderr.write('loaded: ' + process.moduleLoadList.filter((m) => " +
  "/^NativeModule (child_process|crypto)$/.test(m)).join(',') + '\\n'));";

const services = (n: number): string =>
  Array.from({ length: n }, (_, i) =>
    [`  s${i + 1}:`, `    image: ${IMG}`, '    command: ["sleep", "60"]'].join('\n'),
  ).join('\n');

function cli(hook: string, cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, ['-r', hook, GANTRY_BIN, ...args], { encoding: 'utf8', env: e.env, cwd });
}

interface NetworkRecord {
  readonly endpoints: readonly { readonly hostVeth: string; readonly owner: string }[];
}

test('a bridged up -d of 3 services loads no node:crypto, and names each veth apart', { timeout: 180_000 }, () => {
  const hook = join(e.root, 'hook.cjs');
  writeFileSync(hook, HOOK);
  const dir = e.project('upcrypto', { 'compose.yaml': `name: upcrypto\nservices:\n${services(3)}\n` });
  for (const round of ['first', 'second']) {
    const up = cli(hook, dir, 'up', '-d', '--progress', 'quiet');
    assert.equal(up.status, 0, up.stderr);
    // child_process: the shims' spawns; crypto: never (3339708 loaded it for the veth names).
    assert.equal(/loaded: (.*)/.exec(up.stderr)?.[1], 'NativeModule child_process', round);
    const networks = join(e.root, 'networks');
    const file = readdirSync(networks).find((f) => f.startsWith('upcrypto_default'));
    assert.ok(file, `no network record in ${readdirSync(networks).join(', ')}`);
    const record = JSON.parse(readFileSync(join(networks, file), 'utf8')) as NetworkRecord;
    const veths = record.endpoints.map((p) => p.hostVeth);
    assert.equal(veths.length, 3, round);
    assert.equal(new Set(veths).size, 3, `${round}: veth names repeat: ${veths.join(', ')}`);
    for (const v of veths) assert.match(v, /^gv-[0-9a-f]{12}$/);
    const down = cli(hook, dir, 'down', '-t', '1');
    assert.equal(down.status, 0, down.stderr);
  }
});
