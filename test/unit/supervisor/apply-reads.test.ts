// A compose set's apply reads each container's state once (its tick), not once more for the ports:
// those are held while the container is in the set, whether it runs or not. Every multi-service
// `up` applies twice, so a second read per container was 120 state reads at 60 services (issue 20).
// The runtime is the real one over an empty state root; its `state` is counted, then called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { filesOf } from '../../../src/supervisor/files.ts';
import { Supervisor } from '../../../src/supervisor/supervisor.ts';
import type { SupervisionSet } from '../../../src/supervisor/contract.ts';
import { supervisedEntry } from '../../helpers/supervised.ts';

test("an apply reads each container's state once, unless ports follow what runs", async (t) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-apply-reads-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const real = createRuntime({ containersDir: join(root, 'containers') });
  const asked: string[] = [];
  const rt: Runtime = { ...real, state: (id) => (asked.push(id), real.state(id)) };
  const sup = new Supervisor(rt, filesOf(join(root, 'project')), () => undefined);
  t.after(() => sup.close());
  const set: SupervisionSet = {
    project: 'p',
    generation: 1,
    networks: [],
    containers: [1, 2, 3].map((n) => supervisedEntry(n)),
  };
  await sup.apply(set);
  assert.deepEqual([...asked].sort(), ['p-s1-1', 'p-s2-1', 'p-s3-1']);
  asked.length = 0;
  await sup.apply({ ...set, generation: 2 });
  assert.equal(asked.length, 3, `the same set applied again read ${asked.length} states`);
  asked.length = 0;
  await sup.apply({ ...set, generation: 3, portsWhileRunning: true });
  assert.equal(asked.length, 6, 'ports held while running: what runs is read for them too');
});
