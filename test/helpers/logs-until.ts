// Polls `gantry logs --no-log-prefix SERVICE` until its text satisfies `done` (or a minute
// passes; the caller's assertion then shows what there was).
import type { E2eRoot } from './engine-e2e.ts';

export async function logsUntil(
  e: E2eRoot,
  dir: string,
  service: string,
  done: (text: string) => boolean,
): Promise<string> {
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    text = (await e.gantry(['logs', '--no-log-prefix', service], { cwd: dir })).stdout;
    if (done(text)) return text;
    await new Promise((r) => setTimeout(r, 300));
  }
  return text;
}
