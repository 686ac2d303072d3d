// The published ports of `container run` containers: held by one supervisor process (the same
// program and proxies as a compose project's), fed with every standalone container that
// publishes ports. It exits, and its files go, when the last of them is removed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../../runtime/index.ts';
import { lockProject } from '../state.ts';
import { supervisedOf } from '../labels.ts';
import { writeSupervisionSet } from './supervision-set.ts';
import { ensureSupervisor, stopSupervisor } from '../../supervisor/index.ts';
import { removeInside } from '../../common/remove-inside.ts';
import { STANDALONE_NETWORK_LABEL, standaloneDir } from '../ops/default-bridge.ts';

const PROJECT = '_containers';

/** Supervisor files of the standalone set; the netns intents (netns/) stay. */
function removeSupervisorFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f !== 'netns' && f !== 'lock') removeInside(dir, join(dir, f));
}

/** Rewrites the set from the runtime's containers and waits until the supervisor applied it. */
export async function syncForwarders(root: string, rt: Runtime): Promise<void> {
  const dir = standaloneDir(root);
  const lock = await lockProject(dir);
  try {
    const containers = (await rt.list())
      .filter((s) => s.labels[STANDALONE_NETWORK_LABEL] !== undefined)
      .flatMap((s) => supervisedOf(s.labels) ?? [])
      .filter((c) => c.ports.length > 0);
    if (containers.length === 0) {
      await stopSupervisor(dir);
      removeSupervisorFiles(dir);
      return;
    }
    writeSupervisionSet(dir, PROJECT, [], containers, true); // a container that exits frees its ports, as docker run's
    await ensureSupervisor(dir);
  } finally {
    lock.release();
  }
}

export const publishesPorts = (labels: Readonly<Record<string, string>>): boolean =>
  (supervisedOf(labels)?.ports.length ?? 0) > 0;
