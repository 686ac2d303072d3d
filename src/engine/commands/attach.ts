// Attached `up`, Docker Compose's loop: stream the attached services' logs until their containers
// have all exited or the signal aborts; report each exit; with an abort mode the first (failing)
// exit stops the whole stack and decides the exit code. Events only: the caller renders them.
import type { LogLine } from '../../runtime/index.ts';
import { buildGraph, withDependencies } from '../../plan/index.ts';
import type { Project } from '../../project/model.ts';
import { logDrain } from './attach-log-files.ts';
import type { ContainerRef, ProjectHandle } from '../project-handle.ts';

/** What attached `up` shows and how it ends. */
export interface AttachRequest {
  /** The services `up` was given (with attachDependencies, their dependencies' logs show too). */
  readonly services?: readonly string[];
  /** --attach: only these services' logs; --no-attach: not these. */
  readonly attach?: readonly string[];
  readonly noAttach?: readonly string[];
  readonly attachDependencies?: boolean;
  readonly abortOn?: 'exit' | 'failure';
  /** Its last exit code is the result (implies abortOn exit unless failure). */
  readonly exitCodeFrom?: string;
  readonly signal: AbortSignal;
  /** Called for each log line and exit. */
  readonly onEvent: (e: AttachEvent) => void;
  /** up --watch: keep going when every container has exited (a rebuild replaces them); only the signal ends. */
  readonly keepGoing?: boolean;
}

/** A log line or an exit seen by attached `up`. */
export type AttachEvent =
  | { readonly kind: 'attaching'; readonly containers: readonly string[] }
  | { readonly kind: 'log'; readonly container: string; readonly line: LogLine }
  | { readonly kind: 'exited'; readonly container: string; readonly code: number }
  | { readonly kind: 'aborting' }
  | { readonly kind: 'stopping' };

interface Exit {
  readonly service: string;
  readonly code: number;
}

const POLL_MS = 200;

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

/** Services whose logs show: --attach, else SERVICE... (and their dependencies), else all but `attach: false`; minus --no-attach. */
export function attachedServices(project: Project, req: Omit<AttachRequest, 'signal' | 'onEvent'>): readonly string[] {
  const services = req.services ?? [];
  const base =
    (req.attach ?? []).length > 0
      ? req.attach!
      : services.length > 0
        ? withDependencies(buildGraph(project), services, req.attachDependencies !== true)
        : Object.keys(project.services).filter((s) => project.services[s]!.attach !== false);
  return [...new Set(base)].filter((s) => !(req.noAttach ?? []).includes(s)).sort();
}

export async function attachUp(
  handle: Pick<ProjectHandle, 'project' | 'containers' | 'stop'>,
  req: AttachRequest,
): Promise<number> {
  const attach = attachedServices(handle.project, req);
  const watch = new Set([...attach, ...(req.exitCodeFrom ? [req.exitCodeFrom] : [])]);
  const abortOn = req.abortOn ?? (req.exitCodeFrom ? 'exit' : undefined);
  const short = (c: ContainerRef): string => c.name.slice(handle.project.name.length + 1);
  const first = await handle.containers();
  const shown = first.filter((c) => attach.includes(c.service));
  req.onEvent({ kind: 'attaching', containers: shown.map(short) });
  const files = logDrain(shown.map((c) => ({ name: short(c), path: c.logPath })));
  const drain = (): void => files.drain((container, line) => req.onEvent({ kind: 'log', container, line }));
  const watched = new Set(first.filter((c) => watch.has(c.service)).map((c) => c.name));
  const last = new Map<string, ContainerRef['status']>();
  const exits: Exit[] = [];
  let trigger: Exit | undefined;
  while (!req.signal.aborted) {
    drain();
    const now = (await handle.containers()).filter((c) => watched.has(c.name));
    for (const c of now) {
      const was = last.get(c.name);
      last.set(c.name, c.status);
      if (c.status !== 'exited' || was === 'exited') continue;
      const exit = { service: c.service, code: c.exitCode ?? -1 };
      exits.push(exit);
      if (trigger) continue; // once aborting, the stop's exits are not news
      drain();
      if (attach.includes(c.service)) req.onEvent({ kind: 'exited', container: short(c), code: exit.code });
      if (abortOn === 'exit' || (abortOn === 'failure' && exit.code !== 0)) {
        trigger = exit;
        req.onEvent({ kind: 'aborting' });
        await handle.stop();
      }
    }
    if (!req.keepGoing && watched.size > 0 && now.length > 0 && now.every((c) => c.status === 'exited')) break;
    await pause(POLL_MS, req.signal);
  }
  drain();
  if (req.signal.aborted && !trigger) {
    req.onEvent({ kind: 'stopping' });
    await handle.stop();
    return 0;
  }
  // --exit-code-from: that service's last exit; otherwise the exit that aborted (0 without abort).
  if (req.exitCodeFrom) return exits.filter((e) => e.service === req.exitCodeFrom).at(-1)?.code ?? 0;
  return trigger?.code ?? 0;
}
