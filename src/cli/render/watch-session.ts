// The terminal side of a watch session, shared by `gantry watch` and `up --watch`: one line per
// action on stderr (`web  sync  3 files  12 ms`; sync+exec output under it), only failures with
// --quiet, until the command's signal aborts.
import type { ProjectHandle } from '../../engine/index.ts';
import type { WatchSession } from '../../watch/index.ts';

export interface WatchLines {
  readonly services: readonly string[];
  readonly quiet: boolean;
  /** --prune: unused image layers removed after each rebuild. */
  readonly prune: boolean;
}

export async function startWatchLines(handle: ProjectHandle, o: WatchLines): Promise<WatchSession> {
  const { startWatch, formatEvent } = await import('../../watch/index.ts');
  const session = await startWatch(handle, {
    services: o.services,
    ...(o.prune ? { afterRebuild: async () => void (await handle.pruneImages()) } : {}),
    onEvent: (e) => {
      if (o.quiet && !e.error) return;
      process.stderr.write(`${formatEvent(e)}\n`);
      if (!o.quiet && e.output) process.stderr.write(e.output.endsWith('\n') ? e.output : `${e.output}\n`);
    },
  });
  if (!o.quiet) process.stderr.write('Watch enabled\n');
  return session;
}

/** Resolves when the signal aborts (Ctrl-C, SIGTERM). */
export const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
