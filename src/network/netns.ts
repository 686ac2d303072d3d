// Named network namespaces (/run/netns/NAME) for containers: the engine makes one per container
// before the runtime creates it, so networks can be attached before the program starts.
// Concurrent adds and deletes share one `ip -batch` run (batch-queue.ts).
import { existsSync } from 'node:fs';
import type { NetHost } from './host.ts';
import { systemHost } from './host.ts';
import { queueIpLine } from './batch-queue.ts';
import { forgetNetnsOwner, recordNetnsOwner } from './owners.ts';

export const netnsPath = (name: string): string => `/run/netns/${name}`;
/** The name of a /run/netns path, or undefined for any other path (/proc/PID/ns/net…). */
export const netnsNameOf = (path: string): string | undefined => /^\/run\/netns\/([^/]+)$/.exec(path)?.[1];

let shared: NetHost | undefined;
const defaultHost = (): NetHost => (shared ??= systemHost());

/** owner: the network dir of the state root it belongs to, recorded first for the host-wide sweep. */
export async function createNetns(name: string, host: NetHost = defaultHost(), owner?: string): Promise<string> {
  const path = netnsPath(name);
  if (owner !== undefined) recordNetnsOwner(name, owner);
  if (!existsSync(path)) await queueIpLine(host, `netns add ${name}`, () => existsSync(path));
  return path;
}

/** Deleting the namespace also destroys its veth ends; a missing namespace is not an error. */
export async function deleteNetns(name: string, host: NetHost = defaultHost()): Promise<void> {
  const path = netnsPath(name);
  if (existsSync(path)) await queueIpLine(host, `netns del ${name}`, () => !existsSync(path));
  forgetNetnsOwner(name);
}
