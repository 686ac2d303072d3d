// Supervisor test models: a supervision set's container entry and a running container's state.
import type { ContainerState } from '../../src/runtime/index.ts';
import type { SupervisedContainer } from '../../src/supervisor/contract.ts';

/** Service sN of project p, restart "no", no networks or ports; `extra` adds to it. */
export const supervisedEntry = (n: number, extra: Partial<SupervisedContainer> = {}): SupervisedContainer => ({
  id: `p-s${n}-1`,
  service: `s${n}`,
  number: 1,
  restart: { kind: 'no' },
  endpoints: [],
  ports: [],
  ...extra,
});

/** Running with PID 1 since now, created at the epoch. */
export const runningState = (id: string): ContainerState => ({
  id,
  status: 'running',
  pid: 1,
  created: new Date(0).toISOString(),
  started: new Date().toISOString(),
  finished: undefined,
  exitCode: undefined,
  oomKilled: false,
  labels: {},
  rootfs: [],
  args: [],
});
