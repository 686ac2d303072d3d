// What a failing container last said, for `up`'s error: its last log lines (and, for an unhealthy
// one, its last probe's output), squeezed onto the one line an error may take.
import type { Runtime } from '../../runtime/index.ts';
import { streamLogs } from '../commands/stream-logs.ts';

const LINES = 5;
const MAX_CHARS = 400;

/** ` (last log lines: "a" / "b")`, or '' when the container wrote nothing. */
export async function lastWords(rt: Runtime, id: string): Promise<string> {
  const lines: string[] = [];
  try {
    await streamLogs({
      projectContainers: async () => [{ id, service: '', number: 1, path: rt.logPath(id) }],
      tail: LINES,
      onLine: (l) => void lines.push(l.entry.text.trim()),
    });
  } catch {
    return ''; // no log (logging: none, or a container that never ran): the error stands alone
  }
  const text = lines
    .filter((l) => l !== '')
    .map((l) => JSON.stringify(l))
    .join(' / ');
  if (text === '') return '';
  return ` (last log lines: ${text.length > MAX_CHARS ? `…${text.slice(-MAX_CHARS)}` : text})`;
}
