// How a log line looks: "web-1  | text", the name padded to the widest one seen so far and
// colored by service (a hash of the name, so a service keeps its color across runs and commands).
import type { LogLineOut } from '../../engine/index.ts';

const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94] as const;

export interface LogFormat {
  readonly color: boolean;
  readonly prefix: boolean;
  readonly timestamps: boolean;
}

export function serviceColor(service: string): number {
  let h = 0;
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export function logFormatter(f: LogFormat): (l: LogLineOut) => string {
  let width = 0;
  return (l) => {
    const time = f.timestamps ? `${l.entry.time} ` : '';
    if (!f.prefix) return `${time}${l.entry.text}\n`;
    const name = `${l.source.service}-${l.source.number}`;
    width = Math.max(width, name.length);
    const head = `${name.padEnd(width)}  | `;
    return `${f.color ? `\x1b[${serviceColor(l.source.service)}m${head}\x1b[0m` : head}${time}${l.entry.text}\n`;
  };
}
