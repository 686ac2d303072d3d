// `exec`: a new process in a service's running container (replica --index, default 1), with the
// container's own process settings as Docker's defaults: its env (image then service) with -e on
// top, its user and working dir unless -u / -w. Not a oneoff's: those are `run`'s.
import { LABELS } from '../../plan/index.ts';
import { isServiceContainer } from '../labels.ts';
import type { ContainerState, ProcessSpec, Runtime } from '../../runtime/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import type { ExecOutput } from './develop.ts';

/** `gantry exec` flags as options. */
export interface ExecRequest {
  readonly service: string;
  readonly command: readonly string[];
  /** Replica number, as `com.docker.compose.container-number`; default 1. */
  readonly index?: number;
  /** "K=V" entries; they replace the container's value of K. */
  readonly env?: readonly string[];
  readonly user?: string;
  readonly workdir?: string;
  readonly tty?: boolean;
  /** Our stdin goes to the process (Compose's exec always is interactive unless detached). */
  readonly interactive?: boolean;
  readonly detach?: boolean;
  readonly privileged?: boolean;
}

const isUp = (s: ContainerState, project: string, service: string): boolean =>
  isServiceContainer(s.labels, project, service) && (s.status === 'running' || s.status === 'paused');

const isReplica = (s: ContainerState, project: string, service: string, index: number): boolean =>
  isUp(s, project, service) && Number(s.labels[LABELS.number] ?? 1) === index;

/**
 * The container the model names for the replica, read alone: `list()` parses every container's
 * state on the host (all projects), which made exec's cost grow with the host (issue 20). Only
 * when that name is not the replica (renamed, scaled past the model, another project's) is the
 * whole list read.
 */
function byModelName(
  runtime: Runtime,
  names: readonly string[],
  project: string,
  service: string,
  index: number,
): ContainerState | undefined {
  const name = names[index - 1];
  if (name === undefined) return undefined;
  try {
    const s = runtime.state(name);
    return isReplica(s, project, service, index) ? s : undefined;
  } catch {
    return undefined; // not there: the list decides
  }
}

/**
 * The running container of the service's replica, or Compose's error for a service that is not
 * running; a paused one is named as paused (Docker refuses exec into it the same way).
 * `names`: the model's container names of the service (tried first).
 */
export async function serviceContainer(
  runtime: Runtime,
  project: string,
  service: string,
  index?: number,
  names: readonly string[] = [],
): Promise<string> {
  const wanted = index ?? 1;
  const direct = byModelName(runtime, names, project, service, wanted);
  const replicas = direct !== undefined ? [direct] : (await runtime.list()).filter((s) => isUp(s, project, service));
  const found = replicas.find((s) => isReplica(s, project, service, wanted));
  if (found?.status === 'paused')
    throw new RuntimeError(`container ${found.id} is paused, unpause the container first`);
  if (found) return found.id;
  throw new RuntimeError(
    index === undefined || replicas.length === 0
      ? `service "${service}" is not running`
      : `service "${service}" is not running container #${index}`,
  );
}

const keyOf = (kv: string): string => kv.slice(0, kv.includes('=') ? kv.indexOf('=') : kv.length);

/** Docker's exec defaults: the container's process settings, overridden flag by flag. */
export function execProcessSpec(base: ProcessSpec, req: ExecRequest): ProcessSpec {
  const env = req.env ?? [];
  const replaced = new Set(env.map(keyOf));
  const user = req.user ?? base.user;
  const merged = [...base.env.filter((kv) => !replaced.has(keyOf(kv))), ...env];
  // As Docker's exec: a terminal without TERM gets xterm.
  const term = req.tty && !merged.some((kv) => keyOf(kv) === 'TERM') ? ['TERM=xterm'] : [];
  return {
    args: req.command,
    env: [...merged, ...term],
    cwd: req.workdir ?? base.cwd,
    ...(user ? { user } : {}),
    ...(base.additionalGroups ? { additionalGroups: base.additionalGroups } : {}),
    ...(req.tty ? { tty: true } : {}),
    ...(req.interactive && !req.detach ? { stdin: true } : {}),
    ...(req.privileged
      ? { capAdd: ['ALL'], seccomp: 'unconfined' as const }
      : {
          ...(base.capAdd ? { capAdd: base.capAdd } : {}),
          ...(base.capDrop ? { capDrop: base.capDrop } : {}),
          ...(base.seccomp ? { seccomp: base.seccomp } : {}),
        }),
    ...(base.noNewPrivileges ? { noNewPrivileges: true } : {}),
    ...(base.rlimits ? { rlimits: base.rlimits } : {}),
  };
}

/** Attached: resolves to the command's exit code. Detached: to 0 once the process started. */
export async function execInService(
  runtime: Runtime,
  project: string,
  req: ExecRequest,
  names: readonly string[] = [],
): Promise<number> {
  if (req.command.length === 0) throw new RuntimeError('exec: no command given');
  const id = await serviceContainer(runtime, project, req.service, req.index, names);
  const proc = execProcessSpec(runtime.spec(id).process, req);
  if (req.detach) {
    await runtime.execDetached(id, proc);
    return 0;
  }
  return (await runtime.execAttached(id, proc)).exit;
}

/** Captured output is bounded: the last MAX_CAPTURE bytes of each stream are kept (the rest read and dropped). */
const MAX_CAPTURE = 4 << 20;

/**
 * One replica's command with its output kept, not streamed (the Node API's exec): the exit code and
 * the text of stdout and stderr. `input` is written to its stdin, which is then closed.
 */
export async function execCaptured(
  runtime: Runtime,
  project: string,
  req: ExecRequest & { readonly input?: string; readonly timeoutMs?: number },
  names: readonly string[] = [],
): Promise<ExecOutput> {
  if (req.command.length === 0) throw new RuntimeError('exec: no command given');
  const id = await serviceContainer(runtime, project, req.service, req.index, names);
  const proc = execProcessSpec(runtime.spec(id).process, {
    ...req,
    interactive: req.input !== undefined,
    tty: false,
    detach: false,
  });
  const r = await runtime.exec(id, proc, {
    maxOutput: MAX_CAPTURE,
    ...(req.input !== undefined ? { input: req.input } : {}),
    ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
  });
  return { container: id, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}
