// The network manager the engine works with over a state root. Its endpoints' owners are that
// root's containers, so it is told how to see that one is gone: a container removed without its
// detach (by an older gantry's `container rm`, or a crash between the two) then no longer keeps
// its network "in use", and `down` / `network rm` / `prune` take the stale endpoint's veth along.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nameProblem } from '../../common/names.ts';
import { stateDirs } from '../../common/state-root.ts';
import type { NetworkManager } from '../../network/index.ts';

/** Only a valid container name can be a container (build and netns-path owners are not). */
export const containerGone = (root: string, owner: string): boolean =>
  nameProblem('container', owner) === undefined && !existsSync(join(stateDirs(root).containers, owner));

export async function openNetworks(root: string, warn?: (message: string) => void): Promise<NetworkManager> {
  const { createNetworkManager } = await import('../../network/index.ts');
  return createNetworkManager({
    root: stateDirs(root).networks,
    ownerGone: (owner) => containerGone(root, owner),
    ...(warn ? { warn } : {}),
  });
}
