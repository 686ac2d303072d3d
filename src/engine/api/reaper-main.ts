// The reaper's watchdog program (see reaper.ts): reads its order, then waits for the end of its
// pipe. "done" before the end: the environment was taken down, nothing to do. No "done": the owner
// died, and the project is taken down here with its volumes, quickly (a short stop timeout).
import { openProject } from '../project.ts';
import type { ReaperOrder } from './reaper.ts';

const chunks: Buffer[] = [];
process.stdin.on('data', (c: Buffer) => chunks.push(c));
process.stdin.on('end', () => void reap(Buffer.concat(chunks).toString('utf8')));
// Only the pipe's end matters: signals of a terminal or a process group are not the owner's death.
for (const s of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(s, () => undefined);

async function reap(text: string): Promise<void> {
  const lines = text.split('\n').filter(Boolean);
  if (lines.length === 0 || lines.includes('done')) return;
  const order = JSON.parse(lines[0]!) as ReaperOrder;
  const handle = openProject(order.project, { root: order.root, stopTimeoutMs: order.stopTimeoutMs });
  // Twice at most: a first down can meet a half-made state of an `up` killed mid-way.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await handle.down({ volumes: true, removeOrphans: true });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  process.exitCode = 1;
}
