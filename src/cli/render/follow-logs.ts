// Follows container log files (the shim's CRI lines) and prints `name  | text` with a colour per
// container on a terminal. Polls: the files outlive any process, and a poll needs no watcher.
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { parseLogLine } from '../../runtime/index.ts';

export interface LogSource {
  readonly name: string; // prefix, e.g. web-1
  readonly path: string;
}

export interface FollowFormat {
  readonly color: boolean;
  /** Each line's time (as the log file holds it, RFC 3339) after the prefix, as `logs -t` prints it. */
  readonly timestamps?: boolean;
  /** false: the text alone (`--no-log-prefix`). */
  readonly prefix?: boolean;
}

const DRAIN_MAX = 4 << 20;
const COLORS = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];

export interface LogFollower {
  /** Prints what the files gained since the last call. */
  drain(): void;
  /** `name exited with code N`, in the container's colour (Compose's status line, no `|`). */
  status(name: string, text: string): void;
}

export function logFollower(sources: readonly LogSource[], o: FollowFormat): LogFollower {
  const width = Math.max(0, ...sources.map((s) => s.name.length));
  const offsets = new Map(sources.map((s) => [s.path, 0]));
  const rest = new Map(sources.map((s) => [s.path, '']));
  const paint = (i: number, text: string): string => (o.color ? `\x1b[${COLORS[i % COLORS.length]}m${text}\x1b[0m` : text);
  const readNew = (s: LogSource): string => {
    let size: number;
    try {
      size = statSync(s.path).size;
    } catch {
      return '';
    }
    // Smaller than where we were: the shim rotated the file (or truncated it, max-file 1).
    const from = size < offsets.get(s.path)! ? 0 : offsets.get(s.path)!;
    if (size <= from) return '';
    // At most DRAIN_MAX per call: a container printing fast is caught up over the next drains.
    const buf = Buffer.alloc(Math.min(size - from, DRAIN_MAX));
    const fd = openSync(s.path, 'r');
    readSync(fd, buf, 0, buf.length, from);
    closeSync(fd);
    offsets.set(s.path, from + buf.length);
    return buf.toString('utf8');
  };
  return {
    drain() {
      sources.forEach((s, i) => {
        const lines = (rest.get(s.path)! + readNew(s)).split('\n');
        rest.set(s.path, lines.pop() ?? '');
        for (const l of lines) {
          const parsed = parseLogLine(l);
          if (!parsed) continue;
          const time = o.timestamps ? `${parsed.time} ` : '';
          const head = o.prefix === false ? '' : paint(i, `${s.name.padEnd(width)}  | `);
          process.stdout.write(`${head}${time}${parsed.text}${parsed.full ? '\n' : ''}`);
        }
      });
    },
    status(name, text) {
      const i = Math.max(0, sources.findIndex((s) => s.name === name));
      process.stdout.write(`${paint(i, `${name} ${text}`)}\n`);
    },
  };
}
