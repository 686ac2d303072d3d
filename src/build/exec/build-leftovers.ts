// What killed builds leave: their temp dirs under build/tmp (named after their pid) and their RUN
// containers (labelled gantry.build, autoRemove naming the dead owner). The next build removes them.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runtime } from '../../runtime/index.ts';
import { removeInsideAsync } from '../../common/remove-inside.ts';
import { pidAlive } from '../../common/pid-alive.ts';

/** Temp dirs of builds killed mid-step (their names carry the pid). */
export async function cleanDead(tmp: string): Promise<void> {
  for (const n of await readdir(tmp).catch(() => [] as string[])) {
    const pid = Number(n.split('-')[0]);
    if (Number.isInteger(pid) && !pidAlive(pid)) await removeInsideAsync(tmp, join(tmp, n));
  }
}

/** RUN containers of builds that were killed (their autoRemove owner is dead): deleted, with their cgroups. */
export async function reapOrphans(rt: Runtime): Promise<void> {
  for (const c of await rt.list().catch(() => [])) {
    const spec = (() => {
      try {
        return rt.spec(c.id);
      } catch {
        return undefined;
      }
    })();
    const owner = Number(spec?.autoRemove?.split(' ')[0]);
    if (spec?.labels?.['gantry.build'] && Number.isInteger(owner) && !pidAlive(owner)) {
      await rt.delete(c.id, { force: true }).catch(() => undefined);
    }
  }
}
