// What a watch session reports: one event per action done (or failed, or cancelled), as the
// terminal prints it and as the Node API hands it to a listener.
/** Something a watch did or saw. */
export interface WatchEvent {
  readonly service: string;
  readonly action: 'sync' | 'initial_sync' | 'exec' | 'restart' | 'rebuild';
  /** Files the action carried (sync, initial_sync, exec after a sync); 0 for restart and rebuild. */
  readonly files: number;
  readonly ms: number;
  /** Where the time went (rebuild: `build`, then `replace`, the recreate of the service's containers). */
  readonly phases?: readonly WatchPhase[];
  /** sync+exec: what the command printed (stdout then stderr, every replica). */
  readonly output?: string;
  /** Set when the action failed: what went wrong, in one line. */
  readonly error?: string;
  /** Set when the action was given up before it changed anything (a rebuild overtaken by newer changes). */
  readonly cancelled?: string;
}

/** A part of an action and its time (a rebuild: `build`, then `replace`). */
export interface WatchPhase {
  readonly name: string;
  readonly ms: number;
}

/** The terminal line of an event: `web  sync  3 files  12 ms`, `app  rebuild  812 ms  (build 640 ms, …)`. */
export function formatEvent(e: WatchEvent): string {
  const files = e.files > 0 ? `  ${e.files} file${e.files === 1 ? '' : 's'}` : '';
  const phases = e.phases?.length ? `  (${e.phases.map((p) => `${p.name} ${p.ms} ms`).join(', ')})` : '';
  const head = `${e.service}  ${e.action}${files}  ${e.ms} ms`;
  if (e.error) return `${head}  failed: ${e.error}`;
  if (e.cancelled) return `${head}  cancelled: ${e.cancelled}`;
  return `${head}${phases}`;
}
