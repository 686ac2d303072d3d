// The runtime over this host's state root (GANTRY_ROOT), imported lazily so that commands that
// never touch containers do not load it.
import type { Runtime } from '../../../runtime/index.ts';

export async function openRuntime(): Promise<Runtime> {
  const { createRuntime } = await import('../../../runtime/index.ts');
  return createRuntime({}); // GANTRY_ROOT or /var/lib/gantry
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Signal flag values as Docker takes them: TERM, SIGTERM or 15. */
export function parseSignal(s: string): NodeJS.Signals | number {
  if (/^\d+$/.test(s)) return Number(s);
  const up = s.toUpperCase();
  return (up.startsWith('SIG') ? up : `SIG${up}`) as NodeJS.Signals;
}
