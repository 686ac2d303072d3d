// What a start plan reads from the host, counted over two starts of one image: the kernel's masked
// and read-only paths are stat'ed by the first start only, and the image's passwd and group are
// walked through its layers by the first read only (create's HOME and start's user share it); an
// exec's writable layer is read every time, its image layers not again (issue 20: each of 60 starts
// repeated all of it, each healthcheck probe too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execPlan, startPlan } from '../../../src/runtime/start-plan.ts';
import { containerPaths } from '../../../src/runtime/state.ts';
import { userHome } from '../../../src/runtime/process/user.ts';
import type { ContainerCgroup } from '../../../src/runtime/cgroups/index.ts';
import type { ContainerSpec } from '../../../src/runtime/spec.ts';

// startPlan reads only these three fields of the group; nothing here touches a cgroup.
const cgroup = { procsFiles: ['/sys/fs/cgroup/x/cgroup.procs'], views: [], oomFile: undefined };
const unused = () => Promise.reject(new Error('not in a plan'));
const cg: ContainerCgroup = {
  ...cgroup,
  create: unused,
  pids: unused,
  stats: unused,
  killAll: unused,
  remove: unused,
  freeze: unused,
  thaw: unused,
};

/** Host paths stat'ed and opened while fn ran. */
function hostReads(
  t: { mock: { method: typeof test.mock.method } },
  fn: () => void,
): { stats: string[]; opens: string[] } {
  const stats: string[] = [];
  const opens: string[] = [];
  const stat = fs.statSync;
  const open = fs.openSync;
  const s = t.mock.method(
    fs,
    'statSync',
    (p: fs.PathLike, o?: fs.StatSyncOptions) => (stats.push(String(p)), stat(p, o)),
  );
  const o = t.mock.method(
    fs,
    'openSync',
    (p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => (opens.push(String(p)), open(p, flags ?? 'r', mode)),
  );
  syncBuiltinESMExports();
  try {
    fn();
  } finally {
    s.mock.restore();
    o.mock.restore();
    syncBuiltinESMExports();
  }
  return { stats, opens };
}

test('a second start of the same image stats no kernel path and walks no layer for its user', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-plan-reads-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const layers = ['l1', 'l2'].map((l) => join(dir, l));
  for (const l of layers) mkdirSync(join(l, 'etc'), { recursive: true });
  writeFileSync(join(layers[0]!, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
  writeFileSync(join(layers[1]!, 'etc/group'), 'root:x:0:\napp:x:1000:\n');
  const spec: ContainerSpec = {
    rootfs: { layers, readOnly: false },
    process: { args: ['true'], env: [], cwd: '/', user: 'app' },
  };
  const containers = join(dir, 'containers');
  const plan = (id: string) => {
    const p = containerPaths(containers, id);
    mkdirSync(p.dir, { recursive: true });
    return startPlan(spec, p, cg, false, { attach: false });
  };
  const inLayers = (paths: string[]) => paths.filter((p) => layers.includes(p) || p.startsWith('/proc/self/fd/'));
  const kernel = (paths: string[]) => paths.filter((p) => /^\/(proc|sys)\//.test(p));

  const first = hostReads(t, () => plan('c1'));
  assert.ok(kernel(first.stats).length >= 10, `the first start looks at the masked paths: ${first.stats.join(' ')}`);
  assert.ok(inLayers(first.opens).length > 0, 'and walks the layers for passwd and group');
  const second = hostReads(t, () => {
    assert.equal(userHome(layers, 'app'), '/home/app');
    plan('c2');
  });
  assert.deepEqual(kernel(second.stats), [], 'no kernel path stat’ed again');
  assert.deepEqual(inLayers(second.opens), [], 'no layer walked again (HOME and the user from the kept text)');

  // An exec reads the writable layer too, every time: users added in the running container count.
  const upper = join(dir, 'upper');
  mkdirSync(upper);
  const exec = () =>
    execPlan(spec, spec.process, 1, cg, false, { ...containerPaths(containers, 'c1'), upper }, { attach: false });
  // Only the writable one: the image's layers below it are the start's kept text. A healthcheck
  // probe is an exec; every layer walked again was ≈ 25 openat per probe (issue 20).
  const layerOpens = (paths: string[]) => paths.filter((p) => layers.includes(p));
  assert.deepEqual(layerOpens(hostReads(t, exec).opens), [], 'an exec opens no image layer again');
  assert.deepEqual(
    hostReads(t, exec).opens.filter((p) => p === upper),
    [upper, upper],
    'it opens its writable layer for passwd and for group',
  );
  mkdirSync(join(upper, 'etc'));
  writeFileSync(join(upper, 'etc/passwd'), 'added:x:2000:1000::/home/added:/bin/sh\n');
  const added = { ...spec.process, user: 'added' };
  const paths = { ...containerPaths(containers, 'c1'), upper };
  assert.doesNotThrow(
    () => execPlan(spec, added, 1, cg, false, paths, { attach: false }),
    'a user added inside resolves',
  );
});
