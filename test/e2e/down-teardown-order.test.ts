// down starts the network's teardown child (the netlink executor) before it removes any container's
// directory, so the dirs go while the kernel waits out the deletes (issue 20, down13). On 3339708 the
// removals ran ahead of the detach's lock, record and link reads and every container dir was
// renamed away before the child was forked. The order is read from strace -f: syscalls, not times.
// A down that finds the host-wide network lock held by another process (another test's network,
// seen as its watch on /run/lock) removes the dirs while it waits, as it should: then the order is
// not this test's to see, and it skips.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { IMG, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));
const STRACE = '/usr/bin/strace';

const services = (n: number): string =>
  Array.from({ length: n }, (_, i) => `  s${i + 1}: {image: ${IMG}, init: true, command: [sleep, "600"]}\n`).join('');

test(
  'down forks the teardown child before the first container dir is removed',
  { skip: !existsSync(STRACE) && 'needs strace' },
  async (t) => {
    const name = uniq('dto');
    const dir = e.project(name, { 'compose.yaml': `name: ${name}\nservices:\n${services(4)}` });
    const up = await e.gantry(['up', '-d'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    const trace = join(dir, 'down.strace');
    const strace = ['-f', '-qq', '-s', '4096', '-o', trace, '-e', 'trace=execve,rename,inotify_add_watch'];
    // rejects (with the CLI's output) when the down fails: strace exits with its tracee's status
    await promisify(execFile)(STRACE, [...strace, process.execPath, '--', GANTRY_BIN, 'down', '-t', '1'], {
      cwd: dir,
      env: e.env,
      timeout: 120_000,
    });
    const lines = readFileSync(trace, 'utf8').split('\n');
    if (lines.some((l) => /inotify_add_watch\(\d+, "\/run\/lock"/.test(l)))
      return t.skip('the network lock was held by another process meanwhile');
    const containers = join(e.root, 'containers');
    const teardown = lines.findIndex((l) => /execve\("[^"]*gantry-shim", \["[^"]*", "netlink"/.test(l));
    const removals = lines.flatMap((l, i) => (l.includes(`rename("${containers}/${name}-`) ? [i] : []));
    assert.equal(removals.length, 4, 'each container dir renamed away once');
    assert.ok(teardown >= 0, 'the teardown ran through the netlink executor');
    assert.ok(teardown < Math.min(...removals), `teardown child at line ${teardown}, first removal at ${removals[0]}`);
  },
);
