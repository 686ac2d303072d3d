// What attached `up` reads of its containers' log files: the lines each file gained since the last
// drain, parsed from the shim's CRI format. Polled: the files outlive any process, and a poll needs
// no watcher. Rendering (prefixes, colours) is the caller's.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parseLogLine, type LogLine } from '../runtime/index.ts';

export interface AttachedFile {
  readonly name: string; // the container's short name, e.g. web-1
  readonly path: string;
}

const DRAIN_MAX = 4 << 20;

export interface LogDrain {
  /** Calls `each` with every whole or partial line the files gained since the last call. */
  drain(each: (name: string, line: LogLine) => void): void;
}

export function logDrain(files: readonly AttachedFile[]): LogDrain {
  const offsets = new Map(files.map((f) => [f.path, 0]));
  const rest = new Map(files.map((f) => [f.path, '']));
  const readNew = (f: AttachedFile): string => {
    let size: number;
    try {
      size = statSync(f.path).size;
    } catch {
      return '';
    }
    // Smaller than where we were: the shim rotated the file (or truncated it, max-file 1).
    const from = size < offsets.get(f.path)! ? 0 : offsets.get(f.path)!;
    if (size <= from) return '';
    // At most DRAIN_MAX per call: a container printing fast is caught up over the next drains.
    const buf = Buffer.alloc(Math.min(size - from, DRAIN_MAX));
    const fd = openSync(f.path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, from);
    } finally {
      closeSync(fd);
    }
    offsets.set(f.path, from + buf.length);
    return buf.toString('utf8');
  };
  return {
    drain(each) {
      for (const f of files) {
        const lines = (rest.get(f.path)! + readNew(f)).split('\n');
        rest.set(f.path, lines.pop() ?? '');
        for (const l of lines) {
          const parsed = parseLogLine(l);
          if (parsed) each(f.name, parsed);
        }
      }
    },
  };
}
