// Record writes killed before their rename leave `<id>.json.<pid>[.<n>].tmp`: gc removes those of
// dead processes only, never a live writer's nor a record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDeadTemps } from '../../../src/network/store.ts';

test('dead writers’ temp files go, live ones and records stay', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-store-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const names = [
    'p_default.json',
    'p_default.json.111.tmp',
    'p_back.json.111.4.tmp',
    `p_back.json.${process.pid}.2.tmp`,
  ];
  for (const n of names) writeFileSync(join(dir, n), '{}');
  const removed = await removeDeadTemps(dir, (pid) => pid === process.pid);
  assert.deepEqual([...removed].sort(), ['p_back.json.111.4.tmp', 'p_default.json.111.tmp']);
  assert.deepEqual(readdirSync(dir).sort(), [`p_back.json.${process.pid}.2.tmp`, 'p_default.json']);
});
