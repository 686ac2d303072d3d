// The runtime's side of the event journal: which container, which labels. Exported on Runtime as
// recordEvent so later lifecycle operations (pause/unpause, restarts, health) can add theirs.
import type { RuntimeContext } from './context.ts';
import { appendJournal, journalLine, journalPath } from './journal.ts';
import { readState } from './state.ts';

export function recordEvent(
  ctx: Pick<RuntimeContext, 'containersDir' | 'paths'>,
  id: string,
  action: string,
  extra: Readonly<Record<string, string>> = {},
  labels?: Readonly<Record<string, string>>,
): void {
  const l = labels ?? readState(ctx.paths(id))?.spec.labels ?? {};
  appendJournal(journalPath(ctx.containersDir), journalLine(id, action, l, extra));
}

/** What the shim needs to write the start and die lines itself: the line's fixed middle. */
export function journalFragment(id: string, labels: Readonly<Record<string, string>>): string {
  // {"id":…,"attributes":{…}} without the closing braces: the shim adds exitCode (die) and closes.
  return JSON.stringify({ id, attributes: { ...labels, name: id } }).slice(1, -2);
}
