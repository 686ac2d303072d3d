// RUN --mount: each mount of a RUN → the runtime's mount specs, and what a mount brings in for
// the step's cache key. Bind sources are copied into the build's private scratch dir first (from
// the walked context, so .dockerignore holds and no link leads out; or from a stage's layers), so
// a `rw` bind changes only the copy, as BuildKit's. Cache mounts are dirs kept under
// build/cache-mounts between builds (one `from=STAGE` starts as a copy of that stage's source).
// A secret is written into the scratch dir (0700) with its mode and owner and bound read-only:
// it never enters a layer, and its value never a cache key.
import { chmod, chown, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { MountSpec } from '../../runtime/index.ts';
import type { RunInstruction, RunMount } from '../dockerfile/types.ts';
import type { ContextEntry } from '../context/walk.ts';
import { fileSetDigest } from '../context/content-hash.ts';
import { selectSources } from '../context/select-sources.ts';
import { copyStep, plainCopy, sourceRoots } from './copy-step.ts';
import { copyFromLayers } from './copy-from.ts';
import { withCacheMount, type CacheSeed } from './cache-mount-lock.ts';

/** A `--secret id=ID,src=FILE` (or `env=VAR`) of the build request. */
export interface BuildSecret {
  readonly id: string;
  readonly file?: string | undefined;
  readonly env?: string | undefined;
}

export interface MountEnv {
  readonly scratch: string;
  readonly cacheMounts: string;
  readonly contextDir: string;
  readonly entries: readonly ContextEntry[];
  readonly digests: ReadonlyMap<string, string>;
  /** The key and layer dirs (lowest first) of a stage or local image named by `from=`. */
  readonly source: (from: string) => { readonly key: string; readonly dirs: readonly string[] };
  readonly secrets: ReadonlyMap<string, BuildSecret>;
}

export interface PreparedMounts {
  readonly mounts: MountSpec[];
  /** Environment entries of `type=secret,env=VAR` mounts (never in a key). */
  readonly env: string[];
  /** Runs when the step is over (releases locked cache mounts). */
  readonly release: () => void;
}

let counter = 0;

const sourcePath = (p: string | undefined): string => posix.normalize(`/${p ?? ''}`).slice(1) || '.';

/** What each bind mount brings in, for the step's cache key (cache/tmpfs/secret bring nothing keyed). */
export function mountInputs(env: MountEnv, ins: RunInstruction): string[] {
  return ins.mounts.flatMap((m) => {
    if (m.type !== 'bind') return [];
    const src = sourcePath(m.source);
    if (m.from === undefined)
      return [`context:${src}:${fileSetDigest(selectSources(env.entries, [src]), env.digests)}`];
    return [`from:${env.source(m.from).key}:${src}`];
  });
}

async function bindSource(env: MountEnv, m: Extract<RunMount, { type: 'bind' }>): Promise<string> {
  const dir = join(env.scratch, `bind-${process.pid}-${++counter}`);
  await mkdir(dir, { mode: 0o755 });
  const src = sourcePath(m.source);
  if (m.from === undefined) {
    const roots = src === '.' ? [] : sourceRoots(env.entries, src);
    await copyStep(dir, plainCopy(src), { contextDir: env.contextDir, entries: env.entries, stack: [], workdir: '/' });
    return roots.length === 1 && roots[0]!.type !== 'dir' ? join(dir, posix.basename(src)) : dir;
  }
  const from = env.source(m.from);
  await copyFromLayers(dir, plainCopy(src), from.dirs, [], '/', m.from);
  const file = join(dir, posix.basename(src));
  const st = await lstat(file).catch(() => undefined);
  return src !== '.' && st !== undefined && !st.isDirectory() ? file : dir;
}

function cacheSeed(env: MountEnv, m: Extract<RunMount, { type: 'cache' }>): CacheSeed | undefined {
  if (m.from === undefined) return undefined;
  const from = m.from;
  const src = env.source(from);
  const path = sourcePath(m.source);
  return { key: `${src.key}:${path}`, fill: (dir) => copyFromLayers(dir, plainCopy(path), src.dirs, [], '/', from) };
}

async function secretValue(env: MountEnv, id: string): Promise<string | undefined> {
  const s = env.secrets.get(id);
  if (!s) return undefined;
  if (s.env !== undefined) return process.env[s.env];
  return readFile(s.file!, 'utf8').catch(() => {
    throw new Error(`secret ${id}: cannot read ${s.file}`);
  });
}

export async function prepareMounts(env: MountEnv, ins: RunInstruction): Promise<PreparedMounts> {
  const mounts: MountSpec[] = [];
  const vars: string[] = [];
  const releases: (() => void)[] = [];
  const release = (): void => void releases.forEach((r) => r());
  try {
    for (const m of ins.mounts) {
      if (m.type === 'tmpfs')
        mounts.push({ type: 'tmpfs', target: m.target, ...(m.size !== undefined ? { size: m.size } : {}) });
      else if (m.type === 'bind')
        mounts.push({ type: 'bind', source: await bindSource(env, m), target: m.target, readOnly: m.readOnly });
      else if (m.type === 'cache') {
        const held = await withCacheMount(env.cacheMounts, env.scratch, m, cacheSeed(env, m));
        releases.push(held.release);
        mounts.push({ type: 'bind', source: held.dir, target: m.target, readOnly: m.readOnly });
      } else if (m.type === 'secret') {
        const value = await secretValue(env, m.id);
        if (value === undefined) {
          if (m.required) throw new Error(`secret ${m.id}: not provided (--secret id=${m.id},src=FILE)`);
          continue;
        }
        if (m.env !== undefined) vars.push(`${m.env}=${value}`);
        if (m.target === undefined) continue;
        const file = join(env.scratch, `secret-${process.pid}-${++counter}`);
        await writeFile(file, value, { mode: 0o600 });
        await chown(file, m.uid, m.gid);
        await chmod(file, m.mode);
        mounts.push({ type: 'bind', source: file, target: m.target, readOnly: true });
      } else throw new Error('--mount=type=ssh: SSH agent forwarding is not supported in builds');
    }
  } catch (e) {
    release();
    throw e;
  }
  return { mounts, env: vars, release };
}
