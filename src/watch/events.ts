// What a watch session reports: one event per action done (or failed), as the terminal prints it
// and as the Node API hands it to a listener.
/** Something a watch did or saw. */
export interface WatchEvent {
  readonly service: string;
  readonly action: 'sync' | 'initial_sync' | 'exec' | 'restart' | 'rebuild';
  /** Files the action carried (sync, initial_sync, exec after a sync); 0 for restart and rebuild. */
  readonly files: number;
  readonly ms: number;
  /** sync+exec: what the command printed (stdout then stderr, every replica). */
  readonly output?: string;
  /** Set when the action failed: what went wrong, in one line. */
  readonly error?: string;
}

/** The terminal line of an event: `web  sync  3 files  12 ms`, or the error. */
export function formatEvent(e: WatchEvent): string {
  const files = e.files > 0 ? `  ${e.files} file${e.files === 1 ? '' : 's'}` : '';
  const head = `${e.service}  ${e.action}${files}  ${e.ms} ms`;
  return e.error ? `${head}  failed: ${e.error}` : head;
}
