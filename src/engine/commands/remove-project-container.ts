// `gantry container rm` of a compose service's container: removed as compose removal removes it
// (ops/container.ts: endpoints detached, namespace and files gone) under the project's lock, and
// taken out of the supervisor's set. Deleting only the runtime's container left its endpoint on
// the compose network, and `down` then failed "still in use by" a container that was gone.
import { RuntimeError } from '../../common/errors.ts';
import type { Runtime } from '../../runtime/index.ts';
import type { EventSink } from '../events.ts';
import { removeContainer } from '../ops/container.ts';
import { lockProject, projectDir } from '../state.ts';
import { markStoppedByUser } from '../supervision/user-stopped.ts';
import { readSupervisionSet, writeSupervisionSet } from '../supervision/supervision-set.ts';
import { openNetworks } from '../ops/network-manager.ts';

export async function removeProjectContainer(
  rt: Runtime,
  root: string,
  o: { project: string; id: string; force: boolean; emit: EventSink },
): Promise<void> {
  const dir = projectDir(root, o.project);
  const lock = await lockProject(dir);
  try {
    const status = rt.state(o.id).status;
    if (!o.force && (status === 'running' || status === 'paused'))
      throw new RuntimeError(`container ${o.id}: delete: container is running (stop it first or use force)`);
    markStoppedByUser(dir, [o.id]); // its restart policy must not bring it back meanwhile
    const nets = await openNetworks(root, (message) => o.emit({ kind: 'warning', message }));
    await removeContainer({ runtime: rt, nets, emit: o.emit, projectDir: dir }, o.id);
    const set = readSupervisionSet(dir);
    if (set?.containers.some((c) => c.id === o.id)) {
      const left = set.containers.filter((c) => c.id !== o.id);
      writeSupervisionSet(dir, set.project, set.networks, left, set.portsWhileRunning);
      // Reloaded (its published ports and DNS names go), or stopped when nothing is left to supervise.
      await (await import('../../supervisor/index.ts')).ensureSupervisor(dir);
    }
  } finally {
    lock.release();
  }
}
