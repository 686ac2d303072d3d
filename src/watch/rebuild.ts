// A rebuild action: the service's image built, then its containers replaced by `up --no-deps`
// (its dependents stay as they are). Only the build can be cancelled (newer changes, the end of
// the session): the build deletes its RUN container and scratch files on the signal, and an
// aborted build never reaches the replace. The replace is not cancelled: stopping it half way
// would leave the service without a container. A failed build keeps the old containers.
import type { ProjectHandle } from '../engine/index.ts';
import type { WatchPhase } from './events.ts';

export interface RebuildOutcome {
  readonly phases: readonly WatchPhase[];
  readonly error?: string;
  readonly cancelled?: string;
}

const since = (t0: number): number => Math.round(performance.now() - t0);
const reasonOf = (signal: AbortSignal): string =>
  signal.reason instanceof Error ? signal.reason.message : String(signal.reason);

export async function rebuildService(
  handle: ProjectHandle,
  service: string,
  signal: AbortSignal,
): Promise<RebuildOutcome> {
  const phases: WatchPhase[] = [];
  let t0 = performance.now();
  try {
    await handle.build([service], { signal });
  } catch (e) {
    phases.push({ name: 'build', ms: since(t0) });
    if (signal.aborted) return { phases, cancelled: reasonOf(signal) };
    return { phases, error: (e as Error).message };
  }
  phases.push({ name: 'build', ms: since(t0) });
  // A build that finished before it looked at the signal made an image of stale files: not used.
  if (signal.aborted) return { phases, cancelled: reasonOf(signal) };
  t0 = performance.now();
  try {
    await handle.up({ services: [service], noDeps: true });
  } catch (e) {
    phases.push({ name: 'replace', ms: since(t0) });
    return { phases, error: (e as Error).message };
  }
  phases.push({ name: 'replace', ms: since(t0) });
  return { phases };
}
