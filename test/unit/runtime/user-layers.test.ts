// The container's passwd and group, read from its layers top first without ever following a
// symlink of the image (or of a running container's writable layer) on the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFromLayers } from '../../../src/runtime/process/user.ts';

test('readFromLayers: the topmost layer wins, a layer without the file shows the one below, links never lead out', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-user-layers-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const host = join(dir, 'host');
  mkdirSync(host);
  writeFileSync(join(host, 'passwd'), 'intruder:x:4242:4242::/:/bin/sh\n');
  const layer = (name: string, fill: (l: string) => void) => {
    const l = join(dir, name);
    mkdirSync(l);
    fill(l);
    return l;
  };
  const low = layer('low', (l) => {
    mkdirSync(join(l, 'etc'));
    writeFileSync(join(l, 'etc/passwd'), 'low\n');
  });
  const high = layer('high', (l) => {
    mkdirSync(join(l, 'etc'));
    writeFileSync(join(l, 'etc/passwd'), 'high\n');
  });
  const dirOnly = layer('dironly', (l) => mkdirSync(join(l, 'etc')));
  const linkedDir = layer('linkeddir', (l) => symlinkSync(host, join(l, 'etc')));
  const linkedFile = layer('linkedfile', (l) => {
    mkdirSync(join(l, 'etc'));
    symlinkSync(join(host, 'passwd'), join(l, 'etc/passwd'));
  });
  assert.equal(readFromLayers([low, high], 'etc/passwd'), 'high\n');
  assert.equal(readFromLayers([low, dirOnly], 'etc/passwd'), 'low\n');
  assert.equal(readFromLayers([low, linkedDir], 'etc/passwd'), undefined, 'etc -> a host folder is not followed');
  assert.equal(readFromLayers([low, linkedFile], 'etc/passwd'), undefined, 'passwd -> a host file is not followed');
  assert.equal(readFromLayers([low], '../host/passwd'), undefined);
  assert.equal(readFromLayers([dirOnly], 'etc/passwd'), undefined);
});
