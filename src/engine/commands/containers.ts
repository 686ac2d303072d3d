// Single containers, Docker style (`gantry container …`): run, ls, inspect, logs, exec, stop,
// kill, rm over the state root's runtime. The spec comes from container-spec.ts, the translator
// services use; a project's container stopped here is marked so its restart policy holds off.
import { stateRoot } from '../../common/state-root.ts';
import type { ContainerSpec, ContainerState, LogLine, Runtime, ShimHandle } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';
import type { EventSink } from '../events.ts';
import type { ContainerRunFlags } from '../translate/container-spec.ts';
import { removeRunContainer } from '../ops/run-network.ts';
import { createRunContainer as create } from './container-create.ts';

export interface ContainerRunRequest {
  readonly image: string; // a rootfs directory (with a slash) or a local image
  readonly command: readonly string[];
  readonly name: string;
  readonly flags: ContainerRunFlags;
  /** --rm: removed once it exited (by the shim running `onExit` when we are gone). */
  readonly rm?: boolean;
  readonly onExit?: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

export interface ContainerExecRequest {
  readonly command: readonly string[];
  readonly env: readonly string[];
  readonly user?: string;
  readonly workdir?: string;
  readonly tty?: boolean;
  readonly interactive?: boolean;
}

export interface Containers {
  /** Created and started in the background (-d); removed again if the start fails with rm. */
  runDetached(req: ContainerRunRequest): Promise<void>;
  /** Created and started on our stdio; the shim's child takes forwarded signals, its exit is the program's. */
  runAttached(req: ContainerRunRequest): Promise<ShimHandle>;
  /** The recorded exit code, if the container exists and has one (a program that could not be exec'd: 126, 127). */
  exitCode(id: string): number | undefined;
  list(all: boolean): Promise<readonly ContainerState[]>;
  inspect(id: string): ContainerState & { spec: ContainerSpec };
  /** Its log lines (through rotated files); with follow until it stops or the signal aborts. */
  logs(id: string, o: { follow?: boolean; signal?: AbortSignal; onLine: (l: LogLine) => void }): Promise<void>;
  exec(id: string, req: ContainerExecRequest): Promise<number>;
  stop(id: string, o: { timeoutMs: number; signal?: NodeJS.Signals | number }): Promise<void>;
  kill(id: string, signal: NodeJS.Signals | number): Promise<void>;
  remove(id: string, o: { force: boolean }): Promise<void>;
  /** rm -f of a container this command ran (`run --rm`): no project's, so its state is read once, by the delete. */
  removeRun(id: string): Promise<void>;
}

/** A container's labels (undefined: unknown, which the runtime's delete says). */
function labelsOf(rt: Runtime, id: string): Readonly<Record<string, string>> | undefined {
  try {
    return rt.state(id).labels;
  } catch {
    return undefined;
  }
}

/** A project's container stopped or killed by hand must not come back under its restart policy. */
async function markIfProject(rt: Runtime, root: string, id: string): Promise<void> {
  const project = rt.state(id).labels[LABELS.project];
  if (project) await (await import('../supervision/user-stopped.ts')).markProjectContainerStopped(project, id, root);
}

export async function openContainers(o: { root?: string; emit?: EventSink } = {}): Promise<Containers> {
  const root = o.root ?? stateRoot();
  const rt = (await import('../../runtime/index.ts')).createRuntime({ root });
  const onExit = (req: ContainerRunRequest) => (req.rm && req.onExit ? { onExit: req.onExit } : {});
  await (await import('../ops/orphaned-rm.ts')).removeOrphanedRm(rt, root);
  // As a project command does under its lock: a container command killed mid-create or mid-delete
  // leaves a staging dir (and maybe a cgroup) that only a prune removes; no other command may run.
  await rt.prune().catch(() => undefined);
  return {
    async runDetached(req) {
      const net = await create(rt, root, req);
      try {
        await rt.start(req.name, onExit(req));
        await net.started(rt);
      } catch (err) {
        if (req.rm) await removeRunContainer(rt, root, req.name, true);
        throw err;
      }
    },
    async runAttached(req) {
      const net = await create(rt, root, req);
      const shim = await rt.start(req.name, { attach: true, ...onExit(req) });
      await net.started(rt);
      return shim;
    },
    exitCode(id) {
      try {
        return rt.state(id).exitCode;
      } catch {
        return undefined;
      }
    },
    list: async (all) => (await rt.list()).filter((c) => all || c.status === 'running'),
    inspect: (id) => ({ ...rt.state(id), spec: rt.spec(id) }),
    async logs(id, lo) {
      rt.state(id); // fails clearly for an unknown container
      const { LogCursor, parseLogLine } = await import('../../runtime/index.ts');
      // Through the rotated files too, one chunk at a time (a log may be gigabytes).
      const cursor = new LogCursor(rt.logPath(id));
      let pending = '';
      const drain = async (): Promise<void> => {
        for (let chunk = await cursor.read(); chunk; chunk = await cursor.read()) {
          const lines = (pending + chunk.toString()).split('\n');
          pending = lines.pop() ?? '';
          for (const l of lines) {
            const p = parseLogLine(l);
            if (p) lo.onLine(p);
          }
        }
      };
      try {
        await drain();
        while (lo.follow && rt.state(id).status === 'running' && !lo.signal?.aborted) {
          await new Promise((r) => setTimeout(r, 100));
          await drain();
        }
        await drain();
      } finally {
        await cursor.close();
      }
    },
    async exec(id, req) {
      const p = rt.spec(id).process;
      const names = new Set(req.env.map((kv) => kv.split('=')[0]));
      const user = req.user ?? p.user;
      const shim = await rt.execAttached(id, {
        args: req.command,
        env: [...p.env.filter((kv) => !names.has(kv.split('=')[0])), ...req.env],
        cwd: req.workdir ?? p.cwd,
        ...(user ? { user } : {}),
        ...(req.tty ? { tty: true } : {}),
        ...(req.interactive ? { stdin: true } : {}),
      });
      return shim.exit;
    },
    async stop(id, so) {
      await markIfProject(rt, root, id);
      await rt.stop(id, { timeoutMs: so.timeoutMs, ...(so.signal !== undefined ? { signal: so.signal } : {}) });
    },
    async kill(id, signal) {
      if (signal === 'SIGKILL' || signal === 9 || signal === 'SIGTERM' || signal === 15)
        await markIfProject(rt, root, id);
      rt.kill(id, signal);
    },
    // Its endpoint on the default bridge and its published ports go with it; a compose service's
    // container goes the way compose removes it (its endpoints on the project's networks).
    async remove(id, ro) {
      const labels = labelsOf(rt, id);
      const project = labels?.[LABELS.project] || undefined;
      if (project === undefined) return removeRunContainer(rt, root, id, ro.force);
      const { removeProjectContainer } = await import('./remove-project-container.ts');
      await removeProjectContainer(rt, root, { project, id, force: ro.force, emit: o.emit ?? (() => undefined) });
    },
    removeRun: (id) => removeRunContainer(rt, root, id, true),
  };
}
