// RUN: one container of the built-in runtime on an overlay of the stage's layers (Docker's
// default capabilities and seccomp profile, its own network namespace with loopback only),
// waited for, its output read from its log. On success the overlay upper dir (what the command
// changed) is moved out before the container is deleted; whatever happens, the container (and
// with it the cgroup and mounts, which live in its own mount namespace) is deleted.
import { readFile, rename, rm, rmdir, lstat, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerSpec, MountSpec, Runtime } from '../../runtime/index.ts';
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
  /** A private scratch dir of this build (scripts); cache mounts live under cacheMounts. */
  readonly scratch: string;
  readonly cacheMounts: string;
  readonly onOutput?: ((line: string) => void) | undefined;
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

async function mounts(req: RunRequest): Promise<MountSpec[]> {
  const out: MountSpec[] = [];
  if (req.script) {
    const file = join(req.scratch, `script-${req.id}`);
    await writeFile(file, req.script.content, { mode: 0o755 });
    out.push({ type: 'bind', source: file, target: req.script.path, readOnly: true });
  }
  for (const m of req.instruction.mounts) {
    if (m.type === 'tmpfs') out.push({ type: 'tmpfs', target: m.target, ...(m.size !== undefined ? { size: m.size } : {}) });
    else if (m.type === 'cache' && m.from === undefined) {
      const dir = join(req.cacheMounts, Buffer.from(m.id ?? m.target).toString('hex').slice(0, 120));
      await mkdir(dir, { recursive: true, mode: m.mode ?? 0o755 });
      out.push({ type: 'bind', source: dir, target: m.target, readOnly: m.readOnly });
    } else throw new Error(`--mount=type=${m.type}${m.type === 'cache' ? ',from=' : ''}: not supported yet`);
  }
  return out;
}

async function dropStubs(upper: string, layers: readonly string[]): Promise<void> {
  for (const rel of STUBS) {
    const st = await lstat(join(upper, rel)).catch(() => undefined);
    if (!st || (await lookup(layers, rel))) continue;
    if (st.isFile() && st.size === 0) await rm(join(upper, rel));
    else if (st.isDirectory() && (await readdir(join(upper, rel))).length === 0) await rmdir(join(upper, rel));
  }
}

export async function runStep(rt: Runtime, req: RunRequest): Promise<void> {
  if (req.instruction.network === 'host') throw new Error('--network=host is not allowed in builds (Docker needs the network.host entitlement)');
  if (req.instruction.security === 'insecure') throw new Error('--security=insecure is not allowed in builds');
  const env = req.env.some((e) => e.startsWith('PATH=')) ? [...req.env] : [DEFAULT_PATH, ...req.env];
  const spec: ContainerSpec = {
    rootfs: { layers: req.layers, readOnly: false },
    process: { args: req.argv, env, cwd: req.cwd, ...(req.user ? { user: req.user } : {}), seccomp: 'default' },
    hostname: 'buildkitsandbox',
    mounts: await mounts(req),
    labels: { 'gantry.build': 'run' },
    // Should this build be killed (-9) mid-step, the runtime's prune removes the container.
    autoRemove: selfStamp(),
  };
  await rt.create(req.id, spec);
  try {
    await rt.start(req.id);
    const state = await rt.wait(req.id);
    const log = await readFile(rt.logPath(req.id), 'utf8').catch(() => '');
    const lines = log.split('\n').flatMap((l) => {
      const p = parseLogLine(l);
      return p ? [p.text] : [];
    });
    for (const l of lines) req.onOutput?.(l);
    const code = state.exitCode ?? -1;
    if (code !== 0) throw new RunFailed(code, lines.slice(-20));
    await rename(rt.upperDir(req.id), req.out);
    await dropStubs(req.out, req.layers);
  } finally {
    await rt.delete(req.id, { force: true });
  }
}
