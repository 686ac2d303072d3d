// `gantry doctor`: every check in its JSON output; a tool hidden from PATH makes it exit 1 with a
// line naming the tool and the Debian package to install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runGantry } from '../helpers/cli.ts';

const CHECKS = [
  'kernel',
  'namespaces',
  'overlayfs',
  'openat2',
  'seccomp',
  'mount_setattr',
  'cgroups',
  'ip',
  'firewall',
  'nsenter',
  'zstd',
  'shim',
  'root',
];

interface Report {
  ok: boolean;
  checks: { name: string; required: boolean; ok: boolean; detail: string; fix: string }[];
}

test('doctor --format json has every check, and all required ones pass on this (CI) host', async () => {
  const r = await runGantry(['doctor', '--format', 'json']);
  const report = JSON.parse(r.stdout) as Report;
  assert.deepEqual(
    report.checks.map((c) => c.name),
    CHECKS,
  );
  for (const c of report.checks) assert.ok(typeof c.detail === 'string' && c.fix.length > 0, c.name);
  assert.deepEqual(
    report.checks.filter((c) => c.required && !c.ok),
    [],
  );
  assert.equal(report.ok, true);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(report.checks.find((c) => c.name === 'cgroups')!.detail, /^(v1|v2|hybrid), controllers: .*memory/);
});

test('ip missing from PATH: exit 1 and one line naming it and iproute2', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'gantry-doctor-'));
  try {
    // Every tool doctor looks for but ip.
    for (const tool of ['iptables', 'nft', 'nsenter', 'zstd']) {
      const path = execFileSync('sh', ['-c', `command -v ${tool} || true`], {
        encoding: 'utf8',
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      }).trim();
      if (path) symlinkSync(path, join(bin, tool));
    }
    const r = await runGantry(['doctor'], { env: { PATH: bin } });
    assert.equal(r.exitCode, 1, r.stdout);
    const missing = r.stdout.split('\n').filter((l) => l.startsWith('missing'));
    assert.deepEqual(missing, [
      'missing ip            ip not found on PATH (bridges, veths, network namespaces): apt-get install iproute2',
    ]);
    assert.match(r.stdout, /^ok +firewall +/m);
    const json = JSON.parse((await runGantry(['doctor', '--format', 'json'], { env: { PATH: bin } })).stdout) as Report;
    assert.equal(json.ok, false);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
