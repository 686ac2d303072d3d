// Follows container log files (the shim's CRI lines) and prints `name  | text` with a colour per
// container on a terminal. Polls: the files outlive any process, and a poll needs no watcher.
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { parseLogLine } from '../../runtime/index.ts';

export interface LogSource {
  readonly name: string; // prefix, e.g. web-1
  readonly path: string;
}

const COLORS = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];

export function followLogs(sources: readonly LogSource[], o: { color: boolean; signal: AbortSignal; until: () => boolean }): Promise<void> {
  const width = Math.max(...sources.map((s) => s.name.length));
  const offsets = new Map(sources.map((s) => [s.path, 0]));
  const rest = new Map(sources.map((s) => [s.path, '']));
  const prefix = (s: LogSource, i: number): string => {
    const p = `${s.name.padEnd(width)}  | `;
    return o.color ? `\x1b[${COLORS[i % COLORS.length]}m${p}\x1b[0m` : p;
  };
  const drain = (): void => {
    sources.forEach((s, i) => {
      let size = 0;
      try {
        size = statSync(s.path).size;
      } catch {
        return;
      }
      const from = offsets.get(s.path)!;
      if (size <= from) return;
      const buf = Buffer.alloc(size - from);
      const fd = openSync(s.path, 'r');
      readSync(fd, buf, 0, buf.length, from);
      closeSync(fd);
      offsets.set(s.path, size);
      const lines = (rest.get(s.path)! + buf.toString('utf8')).split('\n');
      rest.set(s.path, lines.pop() ?? '');
      for (const l of lines) {
        const parsed = parseLogLine(l);
        if (parsed) process.stdout.write(`${prefix(s, i)}${parsed.text}${parsed.full ? '\n' : ''}`);
      }
    });
  };
  return new Promise((resolve) => {
    const tick = (): void => {
      drain();
      if (o.signal.aborted || o.until()) return resolve();
      setTimeout(tick, 100);
    };
    tick();
  });
}
