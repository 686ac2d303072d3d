// Per-container state directories: what a later, unrelated gantry process needs to find,
// inspect, stop, exec into or delete a container (state survives a restart of gantry).
import { readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ContainerSpec } from './spec.ts';
import { RuntimeError } from '../common/errors.ts';
import { replaceFile } from '../common/replace-file.ts';

export interface StoredState {
  readonly id: string;
  readonly created: string;
  readonly spec: ContainerSpec;
  readonly pid?: number;
  /** Field 22 of /proc/<pid>/stat at start: guards every signal against pid reuse. */
  readonly pidStart?: string;
  readonly shimPid?: number;
  readonly shimStart?: string;
  readonly started?: string;
  readonly killedByStop?: boolean;
  /** Set by pause (its cgroup is frozen), cleared by resume and by every start. */
  readonly paused?: boolean;
}

export interface ContainerPaths {
  readonly dir: string;
  readonly state: string;
  readonly plan: string;
  readonly log: string;
  readonly status: string;
  readonly oom: string;
  readonly upper: string;
  /** The upper dir's xattrs, listed by the shim on a clean exit (RootfsSpec.listUpperXattrs). */
  readonly upperXattrs: string;
  readonly work: string;
  readonly merged: string;
  /** Short symlinks to the layers, when their paths are too long for one mount option page. */
  readonly layerLinks: string;
  /** Present once the cgroup was made whole (create wrote every limit): start need not write them again. */
  readonly cgroupReady: string;
  /** PID 1's seccomp op, which an exec with its capabilities reuses (process/seccomp-memo.ts). */
  readonly seccomp: string;
  /** The compiled default filters every start shares, one file per policy (process/seccomp-memo.ts). */
  readonly seccompFilters: string;
  readonly etc: { readonly hosts: string; readonly hostname: string; readonly resolv: string };
}

const ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

export function validId(id: string): boolean {
  return ID.test(id);
}

/** Staging names (see staging.ts) wrap a valid id. */
const STAGING = /^\.(?:creating|deleting)\.\d+\.(.*)$/;

export function containerPaths(containersDir: string, id: string): ContainerPaths {
  // The API boundary: an id becomes a directory name below, and its removal is recursive.
  if (!validId(STAGING.exec(id)?.[1] ?? id)) {
    throw new RuntimeError(`container ${id}: invalid name (letters, digits, _ . -; at most 63)`);
  }
  const dir = join(containersDir, id);
  return {
    dir,
    state: join(dir, 'state.json'),
    plan: join(dir, 'plan'),
    log: join(dir, 'container.log'),
    status: join(dir, 'status'),
    oom: join(dir, 'oom'),
    upper: join(dir, 'upper'),
    upperXattrs: join(dir, 'upper.xattrs'),
    work: join(dir, 'work'),
    merged: join(dir, 'merged'),
    layerLinks: join(dir, 'l'),
    cgroupReady: join(dir, 'cgroup-ready'),
    seccomp: join(dir, 'seccomp'),
    // beside containers/, as the event journal: not a container's directory
    seccompFilters: join(dirname(containersDir), 'seccomp-filters'),
    etc: { hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolv: join(dir, 'resolv.conf') },
  };
}

export async function writeState(p: ContainerPaths, s: StoredState): Promise<void> {
  // write + rename (a reader never sees half a file); in place on a full disk, so stop still records.
  replaceFile(p.state, JSON.stringify(s, null, 2));
}

export function readState(p: ContainerPaths): StoredState | undefined {
  try {
    return JSON.parse(readFileSync(p.state, 'utf8')) as StoredState;
  } catch {
    return undefined;
  }
}

/** The shim's status file: exit=N signal=S finished=ms. */
export function readExit(p: ContainerPaths): { exitCode: number; signal: number; finished: number } | undefined {
  const text = statusText(p.status);
  if (text === undefined) return undefined;
  const field = (k: string) => Number(new RegExp(`^${k}=(-?\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { exitCode: field('exit'), signal: field('signal'), finished: field('finished') };
}

/** The status file's text, or a symlink's target: the shim's form on a full disk (shim-io.h). */
function statusText(file: string): string | undefined {
  try {
    return readlinkSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
