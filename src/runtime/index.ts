// The runtime's API: create/start/state/list/kill/stop/wait/delete/exec/stats over per-container
// state directories, so any later gantry process can manage what an earlier one started.
import { promises as fs } from 'node:fs';
import type { ShimHandle } from './process/shim.ts';
import type { ContainerSpec, ProcessSpec } from './spec.ts';
import { nodeHost, type Host } from './host.ts';
import { runtimeContext } from './context.ts';
import { createContainer, startContainer, type StartOptions } from './lifecycle.ts';
import { deleteContainer, killContainer, pruneCgroups, stateOf, stopContainer, waitContainer, type StopOptions } from './control.ts';
import { execCollect, execProcess, type ExecOptions, type ExecResult } from './exec.ts';
import type { ContainerState } from './container.ts';
import type { CgroupStats } from './cgroups/index.ts';
import { readState } from './state.ts';
import { isStaging } from './staging.ts';
import { stateDirs, stateRoot } from '../common/state-root.ts';

export type { ContainerSpec, ProcessSpec, MountSpec, ResourceSpec, RootfsSpec, RlimitSpec } from './spec.ts';
export type { ContainerState, Status } from './container.ts';
export type { ExecOptions, ExecResult } from './exec.ts';
export type { ShimHandle } from './process/shim.ts';
export type { StartOptions } from './lifecycle.ts';
export type { StopOptions } from './control.ts';
export type { CgroupStats } from './cgroups/index.ts';
export { NotFoundError } from './errors.ts';
export type { Host } from './host.ts';
export { nodeHost } from './host.ts';
export { parseLogLine, type LogLine } from './logs.ts';
export { userHome } from './process/user.ts';
export { selfStamp } from './container.ts';

export interface Runtime {
  create(id: string, spec: ContainerSpec): Promise<void>;
  /** Detached unless attach: then the shim shares our stdio and exits with the program's code. */
  start(id: string, o?: StartOptions): Promise<ShimHandle>;
  state(id: string): ContainerState;
  list(): Promise<ContainerState[]>;
  kill(id: string, signal: NodeJS.Signals | number): void;
  stop(id: string, o?: StopOptions): Promise<ContainerState>;
  wait(id: string, o?: { timeoutMs?: number; signal?: AbortSignal }): Promise<ContainerState>;
  delete(id: string, o?: { force?: boolean }): Promise<void>;
  exec(id: string, proc: ProcessSpec, o?: ExecOptions): Promise<ExecResult>;
  execAttached(id: string, proc: ProcessSpec): Promise<ShimHandle>;
  stats(id: string): Promise<CgroupStats>;
  /** Removes cgroups left by crashed gantry processes for this state root; returns their names. */
  prune(): Promise<string[]>;
  spec(id: string): ContainerSpec;
  logPath(id: string): string;
}

/** `root`: a gantry state root (containers live in its containers/ dir); or the dir itself. */
export function createRuntime(o: { root?: string; containersDir?: string; host?: Host }): Runtime {
  const dir = o.containersDir ?? stateDirs(o.root ?? stateRoot()).containers;
  const ctx = runtimeContext(o.host ?? nodeHost(), dir);
  return {
    create: (id, spec) => createContainer(ctx, id, spec),
    start: (id, so) => startContainer(ctx, id, so),
    state: (id) => stateOf(ctx, id),
    async list() {
      const names = await fs.readdir(ctx.containersDir).catch(() => [] as string[]);
      return names.filter((n) => !isStaging(n) && readState(ctx.paths(n))).map((n) => stateOf(ctx, n));
    },
    kill: (id, sig) => killContainer(ctx, id, sig),
    stop: (id, so) => stopContainer(ctx, id, so),
    wait: (id, wo = {}) => waitContainer(ctx, id, wo.timeoutMs, wo.signal),
    delete: (id, d) => deleteContainer(ctx, id, d),
    exec: (id, proc, eo) => execCollect(ctx, id, proc, eo),
    execAttached: (id, proc) => execProcess(ctx, id, proc, 'inherit'),
    stats: async (id) => (await ctx.cgroup(id)).stats(),
    prune: () => pruneCgroups(ctx),
    spec: (id) => ctx.load(id).stored.spec,
    logPath: (id) => ctx.paths(id).log,
  };
}
