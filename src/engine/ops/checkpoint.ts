// Between long steps of a command: let a pending SIGINT/SIGTERM reach its handler (a signal is
// only delivered when the event loop turns, never inside a synchronous step), then stop if the
// command's signal was aborted, with the exit code of an interrupted command.
import { RuntimeError } from '../../common/errors.ts';

export async function checkpoint(signal: AbortSignal | undefined, step: string): Promise<void> {
  if (!signal) return;
  await new Promise((r) => setImmediate(r));
  if (signal.aborted) throw new RuntimeError(`${step}: interrupted`, { exitCode: 130 });
}
