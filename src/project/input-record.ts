// What a project load read from outside, noted while recorded-load.ts records one: each path the
// loader probed or read (with what it saw there, absent included) and the words of every text it read,
// any of which may name a variable. The stages call note*() at their fs calls; outside a recording
// these do nothing. A load runs synchronously up to its first wait, and only stdin makes it wait (and
// makes it unrecordable): so notes are taken during the call alone, and no other load's reads mix in.
import { statSync } from 'node:fs';

export interface InputNotes {
  /** path → what statSync (following links) saw, or the error code; in first-noted order. */
  readonly files: Map<string, string>;
  /** Every word of every text read: a variable is only ever named by one of them. */
  readonly words: Set<string>;
  /** Set when the load read something that cannot be checked later (stdin). */
  unrecordable: boolean;
}

let notes: InputNotes | undefined;

/** Runs `load` with the inputs it reads before its first wait noted. */
export async function withInputNotes<T>(load: () => Promise<T>): Promise<{ value: T; notes: InputNotes }> {
  const mine: InputNotes = { files: new Map(), words: new Set(), unrecordable: false };
  const outer = notes;
  notes = mine;
  let pending: Promise<T>;
  try {
    pending = load();
  } finally {
    notes = outer;
  }
  return { value: await pending, notes: mine };
}

/**
 * What a path holds, as a record compares it: device, inode, mode, size, and the change and modify
 * times to the nanosecond (an edit, a replacement by rename or a chmod each changes one of them).
 */
export function fileState(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.mode}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (e) {
    return `error:${(e as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}

/** The loader is about to look at `path` (exists? a file? its text?). */
export function noteFile(path: string): void {
  if (notes && !notes.files.has(path)) notes.files.set(path, fileState(path));
}

/** The loader read `text`: each of its words may be a variable's name. */
export function noteText(text: string): void {
  if (!notes) return;
  for (const w of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) notes.words.add(w);
}

/** The loader read something no record can check again (stdin). */
export function noteUnrecordable(): void {
  if (notes) notes.unrecordable = true;
}
