// Attached `up`: stream the containers' logs until they all exit or Ctrl-C; then stop the stack
// gracefully (run-command exits at once on a second Ctrl-C).
import type { ProjectHandle } from '../../engine/index.ts';
import { followLogs } from './follow-logs.ts';

export async function attachedUp(handle: ProjectHandle, services: readonly string[], o: { attach: boolean; signal: AbortSignal }): Promise<number> {
  const targets = (await handle.containers()).filter((c) => services.length === 0 || services.includes(c.service));
  if (o.attach) process.stderr.write(`Attaching to ${targets.map((t) => t.name).join(', ')}\n`);
  const sources = o.attach ? targets.map((t) => ({ name: t.name.slice(handle.project.name.length + 1), path: t.logPath })) : [];
  let allExited = false;
  const poll = setInterval(() => {
    void handle.containers().then((cs) => (allExited = cs.filter((c) => targets.some((t) => t.name === c.name)).every((c) => c.status === 'exited')));
  }, 200);
  try {
    if (sources.length > 0) await followLogs(sources, { color: process.stdout.isTTY === true, signal: o.signal, until: () => allExited });
    else await new Promise<void>((r) => (o.signal.aborted ? r() : o.signal.addEventListener('abort', () => r(), { once: true })));
  } finally {
    clearInterval(poll);
  }
  if (o.signal.aborted) {
    process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    await handle.stop();
  }
  return 0;
}
