// The host's link names come from sysfs instead of an `ip` run: they must be exactly what
// `ip -j link show` lists, including a link made a moment ago and not one deleted a moment ago.
// Other test files make and delete links meanwhile (a deleted link leaves ip's list tens of ms before
// sysfs, in the kernel's RCU wait), so the whole lists are compared until one pair of looks agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { systemHost } from '../../../src/network/host.ts';
import { isRoot } from '../../helpers/netns.ts';

const ipNames = (): string[] =>
  (JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' })) as { ifname: string }[])
    .map((l) => l.ifname)
    .sort();

test('systemHost().linkNames() lists what ip lists', { skip: !isRoot() && 'needs root' }, async (t) => {
  const host = systemHost();
  const name = `gtl${process.pid % 100000}`;
  execFileSync('ip', ['link', 'add', name, 'type', 'bridge']);
  let made = true;
  t.after(() => void (made && execFileSync('ip', ['link', 'del', name], { stdio: 'ignore' })));
  const look = async () => ({ sysfs: [...(await host.linkNames!())].sort(), ip: ipNames() });
  let seen = await look();
  for (let i = 0; i < 40 && !isDeepStrictEqual(seen.sysfs, seen.ip); i++) {
    await new Promise((r) => setTimeout(r, 25));
    seen = await look();
  }
  assert.ok(seen.sysfs.includes(name));
  assert.deepEqual(seen.sysfs, seen.ip);
  execFileSync('ip', ['link', 'del', name]);
  made = false;
  assert.ok(!(await host.linkNames!()).has(name));
});
