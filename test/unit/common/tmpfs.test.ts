// One tmpfs syntax for a service's `tmpfs:` and `container run --tmpfs`: common/tmpfs.ts parses
// both, with Compose's byte units, and refuses what it cannot honour instead of dropping it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTmpfs } from '../../../src/common/tmpfs.ts';
import { inlineProject } from '../../helpers/inline-project.ts';
import { containerRunSpec } from '../../../src/engine/translate/container-spec.ts';

const fail = (why: string): Error => new Error(why);

test('tmpfs size takes byte units and plain numbers; mode is octal', () => {
  assert.deepEqual(parseTmpfs('/run:size=64m,mode=1777', fail), {
    target: '/run',
    size: 64 * 1024 * 1024,
    mode: 0o1777,
  });
  assert.deepEqual(parseTmpfs('/scratch:size=2097152', fail), { target: '/scratch', size: 2097152 });
  assert.deepEqual(parseTmpfs('/tmp', fail), { target: '/tmp' });
  assert.deepEqual(parseTmpfs('/tmp:', fail), { target: '/tmp' });
});

test("unknown options and a missing target are refused, through the caller's error", () => {
  assert.throws(() => parseTmpfs('/t:noexec', fail), /option "noexec" is not supported/);
  assert.throws(() => parseTmpfs('/t:mode=abc', fail), /option "mode=abc" is not supported/);
  assert.throws(() => parseTmpfs(':size=1m', fail), /names no target/);
});

const load = (yaml: string) => inlineProject(yaml);

const NONE = { env: [], volume: [], capAdd: [], capDrop: [] };
const IMAGE = { layers: [], config: { env: [], cmd: ['sh'] } };

test('a service and container run accept and refuse the same tmpfs text', async () => {
  for (const text of ['/a:size=1m,mode=700', '/b:', '/c:size=1x', '/d:uid=1000', '/e:size=1g,,mode=1777']) {
    let fromService: unknown;
    let fromRun: unknown;
    try {
      const p = await load(`services:\n  s: {image: busybox, tmpfs: ["${text}"]}\n`);
      fromService = p.services.s!.refs.tmpfs[0];
    } catch (e) {
      fromService = /not supported|no target/.test((e as Error).message) ? 'refused' : e;
    }
    try {
      const spec = containerRunSpec('c', IMAGE, [], { ...NONE, tmpfs: [text] });
      const { type: _t, ...m } = spec.mounts!.find((x) => x.type === 'tmpfs')!;
      fromRun = m;
    } catch (e) {
      fromRun = /^--tmpfs .*(not supported|no target)/.test((e as Error).message) ? 'refused' : e;
    }
    assert.deepEqual(fromRun, fromService, text);
  }
});
