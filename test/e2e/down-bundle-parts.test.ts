// The down bundle holds what a down runs (issue 20): the engine through its down door
// (engine/down.ts), and what a down rarely or never runs in files of its own read on use
// (scripts/bundle/apart.mjs): image transfers, a killed build's leftovers, the live view. On 37ba05a
// the bundle reached the whole engine facade: the project loader (YAML readers, the schema
// validator), image pulls and archives (execa, tar), builds and listr2, 1.84 MB read on every down.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { parseSeen, runSeen, seenHook } from '../helpers/bundles-seen.ts';
import { gantryOnTty } from '../helpers/tty.ts';
import { packageRoot } from '../../src/common/package-root.ts';
import { IMG, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));
const bundle = join(packageRoot(), 'dist', 'gantry-down.cjs');

// Names each part keeps in the compact bundle (whitespace only is left out), one per part.
const PARTS: Readonly<Record<string, string>> = {
  yaml: 'YAMLSeq',
  'js-yaml': 'YAMLException',
  'the schema validator': 'validate10',
  'the project normalizers': 'function normalizeService',
  execa: 'execaNode',
  tar: 'ReadEntry',
  listr2: 'ListrTaskState',
  'image pull': 'function pullImage(',
  'image archives': 'function saveArchive(',
  build: 'function parseDockerfile(',
};

test('the down bundle holds no loader, image transfer, build or listr2 code', () => {
  const text = readFileSync(bundle, 'latin1');
  const held = Object.entries(PARTS).filter(([, mark]) => text.includes(mark));
  assert.deepEqual(
    held.map(([part]) => part),
    [],
  );
  // 1.84 MB on 37ba05a, 0.39 MB with the door and the parts apart.
  assert.ok(statSync(bundle).size < 600_000, `${statSync(bundle).size} bytes`);
});

test('a warm down reads the down bundle alone; on a terminal the live view from its own file', async () => {
  const name = uniq('dbp');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  a: {image: ${IMG}, init: true, command: [sleep, "900"]}\n`,
  });
  // The first down loads the project (its record is not written yet), the second reads the record.
  for (const how of ['miss', 'warm', 'terminal'] as const) {
    const up = await e.gantry(['up', '-d'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    if (how !== 'terminal') {
      const down = runSeen(['down', '-t', '1'], dir, e.env);
      const loader = how === 'miss' ? ['gantry-part-project.cjs'] : [];
      assert.deepEqual([down.status, down.seen], [0, ['gantry-down.cjs', ...loader]], down.stderr);
      assert.match(down.stderr, new RegExp(`^ Container ${name}-a-1  Removed$`, 'm'));
      continue;
    }
    const down = await gantryOnTty(['down', '-t', '1'], {
      cwd: dir,
      env: { ...e.env, NODE_OPTIONS: `--require ${seenHook(dir)}` },
      columns: 120,
    });
    const { got, rest } = parseSeen(down.output);
    assert.deepEqual([down.exitCode, got.seen], [0, ['gantry-down.cjs', 'gantry-part-live-view.cjs']], rest);
    assert.match(rest, new RegExp(`✔ Container ${name}-a-1 +Removed`), rest);
  }
});
