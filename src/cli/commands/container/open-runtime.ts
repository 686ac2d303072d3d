// Shared by the `container` commands: the engine's single-container verbs, loaded on first use so
// that commands which never touch containers do not load the runtime, and flag helpers.
import type { Containers } from '../../../engine/index.ts';

/** Warnings (a detach that failed while removing a project's container) go to stderr, one line each. */
export async function openRuntime(): Promise<Containers> {
  const [{ openContainers }, { progressSink }] = await Promise.all([
    import('../../../engine/index.ts'),
    import('../../render/progress.ts'),
  ]);
  return openContainers({ emit: progressSink('quiet') }); // GANTRY_ROOT or /var/lib/gantry
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Signal flag values as Docker takes them: TERM, SIGTERM or 15. */
export function parseSignal(s: string): NodeJS.Signals | number {
  if (/^\d+$/.test(s)) return Number(s);
  const up = s.toUpperCase();
  return (up.startsWith('SIG') ? up : `SIG${up}`) as NodeJS.Signals;
}
