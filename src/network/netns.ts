// Named network namespaces (/run/netns/NAME) for containers: the engine makes one per container
// before the runtime creates it, so networks can be attached before the program starts.
import { existsSync } from 'node:fs';
import type { NetHost } from './host.ts';
import { systemHost } from './host.ts';
import { forgetNetnsOwner, recordNetnsOwner } from './owners.ts';

export const netnsPath = (name: string): string => `/run/netns/${name}`;

/** owner: the network dir of the state root it belongs to, recorded first for the host-wide sweep. */
export async function createNetns(name: string, host: NetHost = systemHost(), owner?: string): Promise<string> {
  const path = netnsPath(name);
  if (owner !== undefined) recordNetnsOwner(name, owner);
  if (!existsSync(path)) await host.ipBatch([`netns add ${name}`]);
  return path;
}

/** Deleting the namespace also destroys its veth ends; a missing namespace is not an error. */
export async function deleteNetns(name: string, host: NetHost = systemHost()): Promise<void> {
  if (existsSync(netnsPath(name))) await host.ipBatch([`netns del ${name}`]);
  forgetNetnsOwner(name);
}
