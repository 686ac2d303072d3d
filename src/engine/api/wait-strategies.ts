// Waiting for a service beyond its healthcheck: a log line, an HTTP status, a listening TCP port, a
// command exiting 0. A strategy is polled until it holds or its timeout passes; the error then says
// what was last seen (last log lines, last HTTP status, last exit code and output), in one line.
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { oneLine, RuntimeError } from '../../common/errors.ts';
import type { ExecResult, HostPort, LogLine } from './types.ts';

/** What a strategy may look at: one service of a running environment. */
export interface WaitTarget {
  readonly service: string;
  /** The service's log lines so far. */
  logLines(): Promise<readonly LogLine[]>;
  /** The host address of a published container port. */
  port(containerPort: number): Promise<HostPort>;
  /** A command in the container, its output captured. */
  exec(command: readonly string[], o: { timeoutMs: number }): Promise<ExecResult>;
  /** TCP ports listening in the container's network namespace. */
  listeningPorts(): Promise<ReadonlySet<number>>;
  /** The container's state: an exited one fails the wait at once. */
  status(): Promise<{ readonly running: boolean; readonly exitCode?: number }>;
}

/** One look: did the condition hold, and what was seen (for the timeout's error). */
export interface Probe {
  readonly ok: boolean;
  readonly seen: string;
}

/** A condition to wait for on a service; made by the functions of {@link wait}. */
export interface WaitStrategy {
  /** What is waited for, as the timeout's error names it. */
  readonly description: string;
  readonly timeoutMs: number;
  /** One look at the service. */
  probe(target: WaitTarget): Promise<Probe>;
}

/** Every strategy's timeout unless given. */
export const DEFAULT_WAIT_MS = 60_000;
const INTERVAL_MS = 150;

const tailOf = (text: string, n = 200): string => (text.length > n ? `…${text.slice(-n)}` : text);

function forLogLine(pattern: RegExp | string, o: { count?: number; timeoutMs?: number } = {}): WaitStrategy {
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  const count = o.count ?? 1;
  // A global or sticky regex keeps lastIndex between tests: matched through a copy without those flags.
  const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  return {
    description: `log line ${String(re)}${count > 1 ? ` ×${count}` : ''}`,
    timeoutMs: o.timeoutMs ?? DEFAULT_WAIT_MS,
    async probe(t) {
      const lines = await t.logLines();
      const n = lines.filter((l) => plain.test(l.text)).length;
      const last = lines.slice(-3).map((l) => l.text);
      const seen = `${n} matching line(s); last lines: ${last.length ? last.join(' | ') : '(none)'}`;
      return { ok: n >= count, seen };
    },
  };
}

function httpStatus(at: HostPort, path: string, method: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // agent false: one connection per look, closed after it, so nothing keeps the caller's process alive.
    const req = request({ host: at.host, port: at.port, path, method, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function forHttp(
  path: string,
  o: { port: number; status?: number | ((status: number) => boolean); method?: string; timeoutMs?: number },
): WaitStrategy {
  const want = o.status ?? 200;
  const ok = typeof want === 'number' ? (s: number) => s === want : want;
  const method = o.method ?? 'GET';
  return {
    description: `HTTP ${typeof want === 'number' ? want : 'status'} from ${method} ${path} on port ${o.port}`,
    timeoutMs: o.timeoutMs ?? DEFAULT_WAIT_MS,
    async probe(t) {
      const at = await t.port(o.port);
      try {
        const status = await httpStatus(at, path, method, 2_000);
        return { ok: ok(status), seen: `HTTP ${status}` };
      } catch (e) {
        const cause = e as NodeJS.ErrnoException;
        return { ok: false, seen: `${at.host}:${at.port}: ${cause.code ?? cause.message}` };
      }
    },
  };
}

function forListeningPort(port: number, o: { timeoutMs?: number } = {}): WaitStrategy {
  return {
    description: `TCP port ${port} listening`,
    timeoutMs: o.timeoutMs ?? DEFAULT_WAIT_MS,
    async probe(t) {
      const ports = [...(await t.listeningPorts())].sort((a, b) => a - b);
      return { ok: ports.includes(port), seen: `listening: ${ports.length ? ports.join(', ') : 'nothing'}` };
    },
  };
}

function forCommand(command: string | readonly string[], o: { timeoutMs?: number } = {}): WaitStrategy {
  const argv = typeof command === 'string' ? ['sh', '-c', command] : command;
  const timeoutMs = o.timeoutMs ?? DEFAULT_WAIT_MS;
  return {
    description: `command ${JSON.stringify(argv)} exiting 0`,
    timeoutMs,
    async probe(t) {
      const r = await t.exec(argv, { timeoutMs: Math.min(timeoutMs, 10_000) });
      const out = `${r.stdout}${r.stderr}`.trim();
      return { ok: r.exitCode === 0, seen: `exit ${r.exitCode}${out ? `: ${tailOf(out)}` : ''}` };
    },
  };
}

/**
 * Wait strategies for {@link UpOptions.waitFor} and {@link ServiceHandle.waitFor}. Each polls until its
 * condition holds; past its timeout (default 60 s) it fails with what it saw last.
 */
export const wait = {
  /** A log line matching `pattern` (a string matches as a substring), `count` times (default 1). */
  forLogLine,
  /** An HTTP answer with `status` (default 200) to `path` on the host port published for `port`. */
  forHttp,
  /** A TCP socket listening on `port` inside the container's network namespace. */
  forListeningPort,
  /** `command` (a string runs through `sh -c`) exiting 0 in the container. */
  forCommand,
} as const;

/** Polls the strategy until it holds; fails at its timeout, or at once when the container exited. */
export async function waitUntil(t: WaitTarget, s: WaitStrategy, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + s.timeoutMs;
  const fail = (why: string, seen: string): RuntimeError =>
    new RuntimeError(oneLine(`service ${t.service}: waiting for ${s.description}: ${why}; last seen: ${seen}`));
  for (;;) {
    if (signal?.aborted) throw fail('aborted', 'nothing');
    const r = await s.probe(t).catch((e: unknown): Probe => ({ ok: false, seen: (e as Error).message }));
    if (r.ok) return;
    const st = await t.status();
    if (!st.running) throw fail(`the container is not running (exit code ${st.exitCode ?? 'none'})`, r.seen);
    if (Date.now() >= deadline) throw fail(`timed out after ${s.timeoutMs} ms`, r.seen);
    await delay(INTERVAL_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}
