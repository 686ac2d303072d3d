// Attached `up`: stream the attached services' logs until their containers have all exited or
// Ctrl-C; print Compose's `NAME exited with code N` per exit; with an abort flag the first
// (failing) exit stops the whole stack and decides gantry's exit code.
import type { ContainerRef, ProjectHandle } from '../../engine/index.ts';
import { logFollower } from './follow-logs.ts';

export interface AttachedOptions {
  readonly attach: readonly string[]; // services whose logs are streamed
  readonly watch: readonly string[]; // services whose exits count: attach plus --exit-code-from
  readonly abortOn?: 'exit' | 'failure';
  readonly exitCodeFrom?: string;
  readonly timestamps: boolean;
  readonly color: boolean;
  readonly prefix: boolean;
  readonly signal: AbortSignal;
  /** up --watch: keep going when every container has exited (a rebuild replaces them); only Ctrl-C ends. */
  readonly keepGoing?: boolean;
}

interface Exit {
  readonly service: string;
  readonly code: number;
}

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

/** --exit-code-from: that service's last exit; otherwise the exit that aborted (0 without abort flags). */
function exitCodeOf(o: AttachedOptions, exits: readonly Exit[], trigger: Exit | undefined): number {
  if (o.exitCodeFrom) return exits.filter((e) => e.service === o.exitCodeFrom).at(-1)?.code ?? 0;
  return trigger?.code ?? 0;
}

export async function attachedUp(handle: ProjectHandle, o: AttachedOptions): Promise<number> {
  const short = (c: ContainerRef): string => c.name.slice(handle.project.name.length + 1);
  const first = await handle.containers();
  const shown = first.filter((c) => o.attach.includes(c.service));
  process.stderr.write(`Attaching to ${shown.map(short).join(', ')}\n`);
  const logs = logFollower(shown.map((c) => ({ name: short(c), path: c.logPath })), { color: o.color, timestamps: o.timestamps, prefix: o.prefix });
  const watched = new Set(first.filter((c) => o.watch.includes(c.service)).map((c) => c.name));
  const last = new Map<string, ContainerRef['status']>();
  const exits: Exit[] = [];
  let trigger: Exit | undefined;
  while (!o.signal.aborted) {
    logs.drain();
    const now = (await handle.containers()).filter((c) => watched.has(c.name));
    for (const c of now) {
      const was = last.get(c.name);
      last.set(c.name, c.status);
      if (c.status !== 'exited' || was === 'exited') continue;
      const exit = { service: c.service, code: c.exitCode ?? -1 };
      exits.push(exit);
      if (trigger) continue; // once aborting, the stop's exits are not news
      logs.drain();
      if (o.attach.includes(c.service)) logs.status(short(c), `exited with code ${exit.code}`);
      if (o.abortOn === 'exit' || (o.abortOn === 'failure' && exit.code !== 0)) {
        trigger = exit;
        process.stderr.write('Aborting on container exit...\n');
        await handle.stop();
      }
    }
    if (!o.keepGoing && watched.size > 0 && now.length > 0 && now.every((c) => c.status === 'exited')) break;
    await pause(200, o.signal);
  }
  logs.drain();
  if (o.signal.aborted && !trigger) {
    process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    await handle.stop();
    return 0;
  }
  return exitCodeOf(o, exits, trigger);
}
