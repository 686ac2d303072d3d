// TCP ports a container listens on, read from the host in its network namespace's view
// (/proc/PID/net/tcp and tcp6 of a process inside it): no program is needed in the image, and a
// published port's forwarder (which accepts before the container listens) cannot fool it.
import { readFile } from 'node:fs/promises';

const LISTEN = '0A';
// 127.0.0.11 as the kernel prints it: gantry's own DNS relay (the shim's), not the program's.
const EMBEDDED_DNS = '0B00007F';

/** Ports in LISTEN state in a /proc/net/tcp{,6} table. */
export function listeningIn(table: string): Set<number> {
  const out = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    if (f[3] !== LISTEN || !local || local.startsWith(`${EMBEDDED_DNS}:`)) continue;
    out.add(parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
  }
  return out;
}

export async function listeningPorts(pid: number): Promise<Set<number>> {
  const read = (f: string) => readFile(`/proc/${pid}/net/${f}`, 'utf8').catch(() => '');
  const [v4, v6] = await Promise.all([read('tcp'), read('tcp6')]);
  return new Set([...listeningIn(v4), ...listeningIn(v6)]);
}
