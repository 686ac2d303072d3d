// RUN: one container of the built-in runtime on an overlay of the stage's layers (Docker's
// default capabilities and seccomp profile; a network namespace of its own with loopback only for
// --network=none, on the build bridge for default, the host's for host when the user allowed it),
// waited for, its output read from its log. On success the overlay upper dir (what the command
// changed) is moved out before the container is deleted; whatever happens, the container (and
// with it the cgroup and mounts, which live in its own mount namespace) is deleted. Started
// through the runtime's shim spawner (startDetached): one fork of the CLI serves a build's RUNs,
// where a spawn per RUN forked the whole CLI each time (5–25 ms of its main thread each, by load).
import { readFile, rename, rm, rmdir, lstat, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerSpec, MountSpec, RlimitSpec, Runtime } from '../../runtime/index.ts';
import { parseLogLine, selfStamp } from '../../runtime/index.ts';
import type { RunInstruction } from '../dockerfile/types.ts';
import { lookup } from './layer-stack.ts';

export interface RunRequest {
  readonly id: string;
  readonly layers: readonly string[];
  readonly argv: readonly string[];
  readonly script?: { readonly path: string; readonly content: string } | undefined;
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user: string;
  readonly instruction: RunInstruction;
  /** Where the upper dir goes on success (must not exist; same filesystem as the state root). */
  readonly out: string;
  /** A private scratch dir of this build (scripts). */
  readonly scratch: string;
  /** The step's --mount specs, ready (run-mounts.ts), and the env of its secret env mounts. */
  readonly mounts: readonly MountSpec[];
  /** A namespace on the build bridge (egress) for --network=default; absent: loopback only. */
  readonly network?: ((privileged?: boolean) => Promise<string>) | undefined;
  readonly allowHostNetwork?: boolean | undefined;
  /** What compose's build keys give every RUN container: extra_hosts lines, shm_size, ulimits, privileged. */
  readonly options?: RunOptions | undefined;
  /** The network of a RUN without --network (`image build --network`, compose build.network). */
  readonly defaultNetwork?: 'default' | 'none' | 'host' | undefined;
  readonly onOutput?: ((line: string) => void) | undefined;
  /** Ctrl-C: the container is killed and deleted, and the step fails. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Takes the delete of a container that succeeded (its upper dir already moved out), so it runs
   * beside the layer's tar and the next steps; the build awaits it before it tags the image.
   * Absent: the step awaits it.
   */
  readonly defer?: ((work: Promise<void>) => void) | undefined;
}

export interface RunOptions {
  readonly extraHosts?: readonly string[];
  readonly shmSize?: number;
  readonly rlimits?: readonly RlimitSpec[];
  /** RUN --security=insecure may run privileged (compose build.privileged; Docker's security.insecure). */
  readonly allowInsecure?: boolean;
}

export class RunFailed extends Error {
  readonly exitCode: number;
  readonly tail: readonly string[];
  constructor(exitCode: number, tail: readonly string[]) {
    super(`exit code: ${exitCode}`);
    this.exitCode = exitCode;
    this.tail = tail;
  }
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Mount points the runtime creates in the rootfs; an empty one the stage did not have is not a change. */
const STUBS = ['etc/hosts', 'etc/hostname', 'etc/resolv.conf', 'dev', 'proc', 'sys', 'etc'];

async function scriptMount(req: RunRequest): Promise<MountSpec[]> {
  if (!req.script) return [];
  const file = join(req.scratch, `script-${req.id}`);
  await writeFile(file, req.script.content, { mode: 0o755 });
  return [{ type: 'bind', source: file, target: req.script.path, readOnly: true }];
}

/** The network namespace of a RUN: a fresh one with loopback only (none), the build bridge's, or the host's. */
async function networkOf(req: RunRequest): Promise<Pick<ContainerSpec, 'netns' | 'namespaces'>> {
  const mode = req.instruction.network ?? req.defaultNetwork ?? 'default';
  if (mode === 'host') {
    if (!req.allowHostNetwork)
      throw new Error('--network=host needs the network.host entitlement (--allow network.host)');
    return { namespaces: { net: 'host' } };
  }
  if (mode === 'default' && req.network) return { netns: await req.network(req.instruction.security === 'insecure') };
  return {};
}

/** Mount points the runtime made for this step's mounts (and their new parents) are not changes. */
async function dropStubs(upper: string, layers: readonly string[], targets: readonly string[]): Promise<void> {
  const extra = targets.flatMap((t) => {
    const parts = t.split('/').filter(Boolean);
    return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
  });
  // Each path once, at its last place: children come before their parents, which go once emptied.
  const all = [...extra, ...STUBS];
  const rels = all.filter((rel, i) => all.lastIndexOf(rel) === i);
  // The lookups side by side (a dozen thread-pool round trips in turn, per RUN), the removals in order.
  const stubs = await Promise.all(
    rels.map(async (rel) => {
      const st = await lstat(join(upper, rel)).catch(() => undefined);
      return st && !(await lookup(layers, rel)) ? st : undefined;
    }),
  );
  for (const [i, rel] of rels.entries()) {
    const st = stubs[i];
    if (st?.isFile() && st.size === 0) await rm(join(upper, rel));
    else if (st?.isDirectory() && (await readdir(join(upper, rel))).length === 0) await rmdir(join(upper, rel));
  }
}

/** Runs the step; returns its layer's xattrs as the shim listed them (records), if it could. */
export async function runStep(rt: Runtime, req: RunRequest): Promise<Buffer | undefined> {
  const o = req.options ?? {};
  const insecure = req.instruction.security === 'insecure';
  if (insecure && !o.allowInsecure)
    throw new Error('--security=insecure needs a privileged build (compose build.privileged)');
  const env = req.env.some((e) => e.startsWith('PATH=')) ? [...req.env] : [DEFAULT_PATH, ...req.env];
  const spec: ContainerSpec = {
    rootfs: { layers: req.layers, readOnly: false, listUpperXattrs: true },
    process: {
      args: req.argv,
      env,
      cwd: req.cwd,
      ...(req.user ? { user: req.user } : {}),
      seccomp: insecure ? 'unconfined' : 'default',
      ...(o.rlimits ? { rlimits: o.rlimits } : {}),
    },
    ...(insecure ? { privileged: true } : {}),
    ...(o.extraHosts?.length ? { extraHosts: o.extraHosts } : {}),
    ...(o.shmSize !== undefined ? { shmSize: o.shmSize } : {}),
    hostname: 'buildkitsandbox',
    mounts: [...(await scriptMount(req)), ...req.mounts],
    ...(await networkOf(req)),
    labels: { 'gantry.build': 'run' },
    // Should this build be killed (-9) mid-step, the runtime's prune removes the container.
    autoRemove: selfStamp(),
  };
  await rt.create(req.id, spec);
  let moved = false;
  try {
    await rt.startDetached(req.id);
    const state = await rt.wait(req.id, req.signal ? { signal: req.signal } : {});
    const log = await readFile(rt.logPath(req.id), 'utf8').catch(() => '');
    const lines = log.split('\n').flatMap((l) => {
      const p = parseLogLine(l);
      return p ? [p.text] : [];
    });
    for (const l of lines) req.onOutput?.(l);
    const code = state.exitCode ?? -1;
    if (code !== 0) throw new RunFailed(code, lines.slice(-20));
    const xattrs = await readFile(rt.upperXattrs(req.id)).catch(() => undefined);
    await rename(rt.upperDir(req.id), req.out);
    moved = true;
    await dropStubs(req.out, req.layers, [
      ...req.mounts.map((m) => m.target),
      ...(req.script ? [req.script.path] : []),
    ]);
    return xattrs;
  } finally {
    const gone = rt.delete(req.id, { force: true }).then(() => undefined);
    if (moved && req.defer) req.defer(gone);
    else await gone;
  }
}
