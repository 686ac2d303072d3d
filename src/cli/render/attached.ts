// Attached `up`'s output: the engine's attach events as Compose prints them: `name  | text` with a
// colour per container on a terminal, `NAME exited with code N`, and the abort / stop notices.
import type { AttachEvent } from '../../engine/index.ts';

export interface AttachedFormat {
  readonly color: boolean;
  /** Each line's time (as the log file holds it, RFC 3339) after the prefix, as `logs -t` prints it. */
  readonly timestamps: boolean;
  /** false: the text alone (`--no-log-prefix`). */
  readonly prefix: boolean;
}

const COLORS = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];

export function attachedRenderer(o: AttachedFormat): (e: AttachEvent) => void {
  let names: readonly string[] = [];
  let width = 0;
  const paint = (name: string, text: string): string => {
    const i = Math.max(0, names.indexOf(name));
    return o.color ? `\x1b[${COLORS[i % COLORS.length]}m${text}\x1b[0m` : text;
  };
  return (e) => {
    if (e.kind === 'attaching') {
      names = e.containers;
      width = Math.max(0, ...names.map((n) => n.length));
      process.stderr.write(`Attaching to ${names.join(', ')}\n`);
    } else if (e.kind === 'log') {
      const time = o.timestamps ? `${e.line.time} ` : '';
      const head = o.prefix ? paint(e.container, `${e.container.padEnd(width)}  | `) : '';
      process.stdout.write(`${head}${time}${e.line.text}${e.line.full ? '\n' : ''}`);
    } else if (e.kind === 'exited') {
      process.stdout.write(`${paint(e.container, `${e.container} exited with code ${e.code}`)}\n`);
    } else if (e.kind === 'aborting') {
      process.stderr.write('Aborting on container exit...\n');
    } else {
      process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    }
  };
}
