// The firewall in use is found by looking iptables up on PATH, not by running `iptables -V`: a
// probe spawn forks the whole CLI once more per network created (issue 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemHost } from '../../../src/network/host.ts';
import { countingSpawns } from '../../helpers/count-spawns.ts';

test('iptables on PATH is found without running it; a file that cannot run does not count', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-fw-${process.pid}-`));
  const saved = process.env['PATH'];
  t.after(() => {
    process.env['PATH'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const ran = join(dir, 'ran');
  const bin = join(dir, 'bin');
  const fake = join(bin, 'iptables');
  process.env['PATH'] = `${join(dir, 'none')}::${bin}`;
  // not there at all: then neither iptables nor nft answers
  assert.equal(await systemHost().detectFirewall(), 'none');
  mkdirSync(bin);
  writeFileSync(fake, `#!/bin/sh\n: > ${ran}\n`, { mode: 0o644 });
  assert.equal(await systemHost().detectFirewall(), 'none', 'a file without the execute bit');
  chmodSync(fake, 0o755);
  const { result, spawns } = await countingSpawns(() => systemHost().detectFirewall());
  assert.equal(result, 'iptables');
  assert.deepEqual(spawns, []);
  assert.equal(existsSync(ran), false, 'iptables was run');
});
