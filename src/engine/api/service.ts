// One service of an environment: its published ports, commands in it with their output captured,
// its logs, its lifecycle (Compose's stop/start/restart/kill) and copies in and out, all through the
// engine's project handle, and its wait strategies.
import { RuntimeError } from '../../common/errors.ts';
import type { ProjectHandle } from '../project-handle.ts';
import type { Runtime } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';
import { listeningPorts } from './listening-ports.ts';
import { Logs, type ReadLogs } from './log-reader.ts';
import type { ExecOptions, ExecResult, HostPort, LogsOptions, PortOptions } from './types.ts';
import { waitUntil, type WaitStrategy, type WaitTarget } from './wait-strategies.ts';

/** A service of a running {@link Environment} (Compose's words for what it does). */
export interface ServiceHandle {
  readonly name: string;
  /** Where the container port is published on the host (a port published without a host port got a free one). */
  port(containerPort: number, o?: PortOptions): Promise<HostPort>;
  /** `http://HOST:PORT/path` of the published container port. */
  url(containerPort: number, path?: string, o?: PortOptions): Promise<string>;
  /**
   * Runs a command in the running container (a string runs through `sh -c`) and resolves with its exit
   * code and output once it exits; a non-zero exit code is a result, not an error.
   */
  exec(command: string | readonly string[], o?: ExecOptions): Promise<ExecResult>;
  /** The service's logs: `await` it for the text so far, or iterate it for lines (`follow` keeps going). */
  logs(o?: LogsOptions): Logs;
  /** Stops the service's containers (kept, as `gantry stop`). */
  stop(): Promise<void>;
  /** Starts its stopped containers again. */
  start(): Promise<void>;
  /** Restarts its containers (`gantry restart`). */
  restart(): Promise<void>;
  /** Sends a signal (default SIGKILL, as Compose) to its containers. */
  kill(signal?: NodeJS.Signals | number): Promise<void>;
  /** Copies a host file or directory into the container (`gantry cp HOST SERVICE:PATH`). */
  copyTo(hostPath: string, containerPath: string, o?: { index?: number }): Promise<void>;
  /** Copies a file or directory of the container to the host (`gantry cp SERVICE:PATH HOST`). */
  copyFrom(containerPath: string, hostPath: string, o?: { index?: number }): Promise<void>;
  /** Resolves once the strategy holds; rejects with what was last seen at its timeout. */
  waitFor(strategy: WaitStrategy, o?: { index?: number; signal?: AbortSignal }): Promise<void>;
}

/** What a service handle works with. */
export interface ServiceContext {
  readonly handle: ProjectHandle;
  readonly runtime: () => Promise<Runtime>;
  readonly readLogs: (service: string) => ReadLogs;
}

const argv = (c: string | readonly string[]): readonly string[] => (typeof c === 'string' ? ['sh', '-c', c] : c);

/** Where a client connects for an address the port is bound to (every address: loopback). */
function connectable(address: string): HostPort {
  const cut = address.lastIndexOf(':');
  const ip = address.slice(0, cut).replace(/^\[|\]$/g, '');
  const host = ip === '' || ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip;
  return { host, port: Number(address.slice(cut + 1)) };
}

async function containerOf(rt: Runtime, project: string, service: string, index: number) {
  return (await rt.list()).find(
    (c) =>
      c.labels[LABELS.project] === project &&
      c.labels[LABELS.service] === service &&
      c.labels[LABELS.oneOff] !== 'True' &&
      Number(c.labels[LABELS.number] ?? 1) === index,
  );
}

export function serviceHandle(ctx: ServiceContext, name: string): ServiceHandle {
  const { handle } = ctx;
  const services = [name];
  const project = handle.project.name;
  const exec = async (command: string | readonly string[], o: ExecOptions = {}): Promise<ExecResult> => {
    const r = await handle.execCaptured({
      service: name,
      command: argv(command),
      ...(o.index !== undefined ? { index: o.index } : {}),
      ...(o.user !== undefined ? { user: o.user } : {}),
      ...(o.workdir !== undefined ? { workdir: o.workdir } : {}),
      ...(o.env ? { env: Object.entries(o.env).map(([k, v]) => `${k}=${v}`) } : {}),
      ...(o.input !== undefined ? { input: o.input } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.privileged ? { privileged: true } : {}),
    });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };
  const port = async (containerPort: number, o: PortOptions = {}): Promise<HostPort> =>
    connectable(await handle.port(name, containerPort, o));
  const target = (index: number): WaitTarget => ({
    service: name,
    logLines: () => new Logs(ctx.readLogs(name), {}).lines(),
    port: (p) => port(p, { index }),
    exec: (command, o) => exec(command, { index, timeoutMs: o.timeoutMs }),
    async listeningPorts() {
      const c = await containerOf(await ctx.runtime(), project, name, index);
      return c?.pid ? listeningPorts(c.pid) : new Set();
    },
    async status() {
      const c = await containerOf(await ctx.runtime(), project, name, index);
      if (!c) throw new RuntimeError(`service "${name}" has no container with index ${index}`);
      return { running: c.status === 'running', ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}) };
    },
  });
  return {
    name,
    port,
    async url(containerPort, path = '/', o = {}) {
      const at = await port(containerPort, o);
      const host = at.host.includes(':') ? `[${at.host}]` : at.host;
      return `http://${host}:${at.port}${path.startsWith('/') ? path : `/${path}`}`;
    },
    exec,
    logs: (o = {}) => new Logs(ctx.readLogs(name), o),
    stop: async () => void (await handle.stop({ services })),
    start: async () => void (await handle.start({ services })),
    restart: async () => void (await handle.restart({ services })),
    kill: async (signal) =>
      void (await handle.kill({ services, ...(signal !== undefined ? { signalName: signal } : {}) })),
    copyTo: (hostPath, containerPath, o = {}) =>
      handle.cp({ service: name, direction: 'to', hostPath, containerPath, ...(o.index ? { index: o.index } : {}) }),
    copyFrom: (containerPath, hostPath, o = {}) =>
      handle.cp({ service: name, direction: 'from', hostPath, containerPath, ...(o.index ? { index: o.index } : {}) }),
    waitFor: (strategy, o = {}) => waitUntil(target(o.index ?? 1), strategy, o.signal),
  };
}
