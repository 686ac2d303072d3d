// `exec` finds its replica by the name the model gives it, reading that one container's state,
// and reads every container on the host (runtime.list) only when that name is not the replica.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceContainer } from '../../../src/engine/commands/exec.ts';
import type { ContainerState, Runtime } from '../../../src/runtime/index.ts';
import { RuntimeError } from '../../../src/common/errors.ts';
import { NotFoundError } from '../../../src/runtime/errors.ts';
import { LABELS } from '../../../src/plan/index.ts';

function state(
  id: string,
  labels: Record<string, string>,
  status: ContainerState['status'] = 'running',
): ContainerState {
  return {
    id,
    status,
    pid: 1,
    created: '',
    started: undefined,
    finished: undefined,
    exitCode: undefined,
    oomKilled: false,
    labels,
    rootfs: [],
    args: [],
  };
}

const replica = (project: string, service: string, n: number): Record<string, string> => ({
  [LABELS.project]: project,
  [LABELS.service]: service,
  [LABELS.number]: String(n),
});

/** Only state() and list() are used; list() calls are counted. */
function runtimeOf(states: readonly ContainerState[]): { rt: Runtime; lists: () => number } {
  let lists = 0;
  const rt = {
    state(id: string) {
      const s = states.find((x) => x.id === id);
      if (!s) throw new NotFoundError(id);
      return s;
    },
    async list() {
      lists++;
      return [...states];
    },
  } as unknown as Runtime;
  return { rt, lists: () => lists };
}

test('exec: the replica under its model name is found without listing the host', async () => {
  const { rt, lists } = runtimeOf([
    state('p-web-1', replica('p', 'web', 1)),
    state('p-web-2', replica('p', 'web', 2)),
    state('other-web-1', replica('other', 'web', 1)),
  ]);
  assert.equal(await serviceContainer(rt, 'p', 'web', undefined, ['p-web-1', 'p-web-2']), 'p-web-1');
  assert.equal(await serviceContainer(rt, 'p', 'web', 2, ['p-web-1', 'p-web-2']), 'p-web-2');
  assert.equal(lists(), 0);
});

test('exec: a name that is not the replica (another project, stopped, renamed) falls back to the list', async () => {
  const { rt, lists } = runtimeOf([
    state('fixed', replica('other', 'web', 1)), // container_name taken by another project's
    state('renamed_p-web-1', replica('p', 'web', 1)),
  ]);
  assert.equal(await serviceContainer(rt, 'p', 'web', undefined, ['fixed']), 'renamed_p-web-1');
  assert.equal(lists(), 1);
  const stopped = runtimeOf([state('p-web-1', replica('p', 'web', 1), 'exited')]);
  await assert.rejects(
    serviceContainer(stopped.rt, 'p', 'web', undefined, ['p-web-1']),
    /service "web" is not running/,
  );
  assert.equal(stopped.lists(), 1);
});

test('exec: a paused replica found by name is refused as paused; a oneoff is never the replica', async () => {
  const paused = runtimeOf([state('p-web-1', replica('p', 'web', 1), 'paused')]);
  await assert.rejects(serviceContainer(paused.rt, 'p', 'web', undefined, ['p-web-1']), (e: unknown) => {
    assert.ok(e instanceof RuntimeError);
    assert.match(e.message, /p-web-1 is paused/);
    return true;
  });
  const oneoff = runtimeOf([state('p-web-1', { ...replica('p', 'web', 1), [LABELS.oneOff]: 'True' })]);
  await assert.rejects(serviceContainer(oneoff.rt, 'p', 'web', undefined, ['p-web-1']), /not running/);
});
