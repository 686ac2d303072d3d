// `container run --rm` killed (-9) after its program exited but before it removed the container:
// the shim removes a --rm container itself only when its client is already gone at the exit, so
// such a container would stay listed, its endpoint on the default bridge and its port held. The
// next container command removes it, as `container rm` would (endpoint, namespace, forwarders).
import type { Runtime } from '../../runtime/index.ts';
import { removeRunContainer } from './run-network.ts';

export async function removeOrphanedRm(rt: Runtime, root: string): Promise<void> {
  const { stampGone } = await import('../../runtime/index.ts');
  for (const c of await rt.list().catch(() => [])) {
    if (c.status === 'running' || c.status === 'paused') continue; // its shim removes it at exit
    let stamp: string | undefined;
    try {
      stamp = rt.spec(c.id).autoRemove;
    } catch {
      continue; // removed meanwhile
    }
    if (stamp === undefined || !stampGone(stamp)) continue;
    await removeRunContainer(rt, root, c.id, true).catch(() => undefined);
  }
}
