// The host's link names come from sysfs instead of an `ip` run: they must be exactly what
// `ip -j link show` lists, including a link made a moment ago and not one deleted a moment ago.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
  const withIt = [...(await host.linkNames!())].sort();
  assert.ok(withIt.includes(name));
  assert.deepEqual(withIt, ipNames());
  execFileSync('ip', ['link', 'del', name]);
  made = false;
  assert.ok(!(await host.linkNames!()).has(name));
});
