// The runtime's API: create/start/state/list/kill/stop/wait/delete/exec/stats/pause over per-container
// state directories, so any later gantry process can manage what an earlier one started.
import { promises as fs } from 'node:fs';
import type { ShimHandle } from './process/shim.ts';
import type { ContainerSpec, ProcessSpec } from './spec.ts';
import { nodeHost, type Host } from './host.ts';
import { runtimeContext } from './context.ts';
import { startContainer, startContainerDetached, type StartOptions } from './lifecycle.ts';
import { createContainer } from './create.ts';
import {
  deleteContainer,
  killContainer,
  pruneCgroups,
  stateOf,
  stopContainer,
  waitContainer,
  type StopOptions,
} from './control.ts';
import { pauseContainer, resumeContainer } from './pause.ts';
import { execCollect, execProcess, type ExecOptions, type ExecResult } from './exec.ts';
import type { ContainerState } from './container.ts';
import { containerStats, type ContainerStats } from './stats.ts';
import { readState, validId } from './state.ts';
import { recordEvent } from './record-event.ts';
import { journalPath } from './journal.ts';
import { deriveState, isAlive } from './container.ts';
import { RuntimeError } from '../common/errors.ts';
import { isStaging } from './staging.ts';
import { stateDirs, stateRoot } from '../common/state-root.ts';
import { secureStateRoot } from '../common/secure-root.ts';

export type {
  ContainerSpec,
  DeviceSpec,
  ProcessSpec,
  MountSpec,
  ResourceSpec,
  RootfsSpec,
  RlimitSpec,
  SeccompSetting,
} from './spec.ts';
export { parseDockerProfile } from './seccomp/docker-profile.ts';
export type { ContainerState, Status } from './container.ts';
export type { ExecOptions, ExecResult } from './exec.ts';
export type { ShimHandle } from './process/shim.ts';
export type { StartOptions } from './lifecycle.ts';
export type { StopOptions } from './control.ts';
export type { CgroupStats } from './cgroups/index.ts';
export type { ContainerStats } from './stats.ts';
export { NotFoundError } from './errors.ts';
export type { Host } from './host.ts';
export { nodeHost } from './host.ts';
export { parseLogLine, type LogLine } from './logs.ts';
export { LogCursor, readTail, type LogTail, type TailVerdict } from './log-files.ts';
export { userHome, resolveUser } from './process/user.ts';
export { readJournal, parseJournal, journalPath, type JournalEvent } from './journal.ts';
export { selfStamp, stampGone } from './container.ts';
export { distinctLayers } from './rootfs/overlay.ts';

export interface Runtime {
  create(id: string, spec: ContainerSpec): Promise<void>;
  /** Detached unless attach: then the shim shares our stdio and exits with the program's code. */
  start(id: string, o?: StartOptions): Promise<ShimHandle>;
  /**
   * start, detached, for a caller that needs no handle on the shim: cheaper (process/shim-spawner.ts).
   * Resolves with the container's labels, read for the start: a caller needs no second read of its state.
   */
  startDetached(id: string): Promise<Readonly<Record<string, string>>>;
  /**
   * Keeps the runtime's helper process (startDetached's spawner) for the caller's whole command,
   * not only while starts are queued; the function returned lets it go (issue 20).
   */
  hold(): () => void;
  state(id: string): ContainerState;
  list(): Promise<ContainerState[]>;
  kill(id: string, signal: NodeJS.Signals | number): void;
  stop(id: string, o?: StopOptions): Promise<ContainerState>;
  wait(id: string, o?: { timeoutMs?: number; signal?: AbortSignal }): Promise<ContainerState>;
  /** Resolves to the labels it was created with (read once, for what the caller undoes after it). */
  delete(id: string, o?: { force?: boolean }): Promise<Readonly<Record<string, string>>>;
  exec(id: string, proc: ProcessSpec, o?: ExecOptions): Promise<ExecResult>;
  execAttached(id: string, proc: ProcessSpec): Promise<ShimHandle>;
  /** Starts the process and returns its pid at once; its output is discarded (exec -d). */
  execDetached(id: string, proc: ProcessSpec): Promise<number>;
  stats(id: string): Promise<ContainerStats>;
  /** Freezes every process of the container (cgroup freezer); state becomes `paused`. */
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Host pids of the container's processes (its cgroup's members). */
  processes(id: string): Promise<number[]>;
  /** Removes cgroups left by crashed gantry processes for this state root; returns their names. */
  prune(): Promise<string[]>;
  spec(id: string): ContainerSpec;
  logPath(id: string): string;
  /** Appends an event about this container (its labels attached) to the state root's journal. */
  recordEvent(id: string, action: string, attributes?: Readonly<Record<string, string>>): void;
  /** The host path under which a running container's filesystem is seen (/proc/PID/root). */
  rootPath(id: string): string;
  /** The overlay upper dir of a container: what its processes changed (a build commits it as a layer). */
  upperDir(id: string): string;
  /**
   * Where the shim listed the upper dir's xattrs on a clean exit (rootfs.listUpperXattrs): records of
   * path, name and value, each a u32 LE length and bytes; absent when it could not.
   */
  upperXattrs(id: string): string;
  /** The state root's event journal (JSON lines; see journal.ts). */
  readonly journal: string;
}

/** `root`: a gantry state root (containers live in its containers/ dir); or the dir itself. */
export function createRuntime(o: { root?: string; containersDir?: string; host?: Host }): Runtime {
  if (o.containersDir === undefined) secureStateRoot(o.root ?? stateRoot());
  const dir = o.containersDir ?? stateDirs(o.root ?? stateRoot()).containers;
  const ctx = runtimeContext(o.host ?? nodeHost(), dir);
  return {
    create: (id, spec) => createContainer(ctx, id, spec),
    start: (id, so) => startContainer(ctx, id, so),
    startDetached: (id) => startContainerDetached(ctx, id),
    hold: () => ctx.host.holdSpawner?.() ?? (() => undefined),
    state: (id) => stateOf(ctx, id),
    async list() {
      const names = await fs.readdir(ctx.containersDir).catch(() => [] as string[]);
      // One read of each state.json (a filter then stateOf parsed each twice: issue 20).
      return names.flatMap((n) => {
        if (isStaging(n) || !validId(n)) return [];
        const paths = ctx.paths(n);
        const stored = readState(paths);
        return stored ? [deriveState(stored, paths)] : [];
      });
    },
    kill: (id, sig) => killContainer(ctx, id, sig),
    stop: (id, so) => stopContainer(ctx, id, so),
    wait: (id, wo = {}) => waitContainer(ctx, id, wo.timeoutMs, wo.signal),
    delete: (id, d) => deleteContainer(ctx, id, d),
    exec: (id, proc, eo) => execCollect(ctx, id, proc, eo),
    execAttached: (id, proc) => execProcess(ctx, id, proc, 'inherit'),
    stats: (id) => containerStats(ctx, id),
    pause: (id) => pauseContainer(ctx, id),
    resume: (id) => resumeContainer(ctx, id),
    async processes(id) {
      ctx.load(id); // NotFoundError for an unknown id, not an empty list
      return (await ctx.cgroup(id)).pids();
    },
    execDetached: async (id, proc) => (await execProcess(ctx, id, proc, 'ignore')).pid,
    prune: () => pruneCgroups(ctx),
    spec: (id) => ctx.load(id).stored.spec,
    logPath: (id) => ctx.paths(id).log,
    upperDir: (id) => ctx.paths(id).upper,
    upperXattrs: (id) => ctx.paths(id).upperXattrs,
    recordEvent: (id, action, attributes) => recordEvent(ctx, id, action, attributes),
    journal: journalPath(ctx.containersDir),
    rootPath(id) {
      const { stored } = ctx.load(id);
      if (!isAlive(stored)) throw new RuntimeError(`container ${id}: is not running`);
      return `/proc/${stored.pid}/root`;
    },
  };
}
