// Where gantry keeps its state (images, layers, containers, networks, volumes). One root per
// host, `/var/lib/gantry` by default; GANTRY_ROOT moves it (tests always use a temporary root).
import { join } from 'node:path';

export const DEFAULT_STATE_ROOT = '/var/lib/gantry';

export function stateRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env['GANTRY_ROOT'];
  return fromEnv && fromEnv.length > 0 ? fromEnv : DEFAULT_STATE_ROOT;
}

/** Sub-directories of the state root, one per area, so no two areas ever share a path. */
export const stateDirs = (root: string) =>
  ({
    images: join(root, 'images'), // image/: OCI layout (blobs, index) + unpacked layers
    containers: join(root, 'containers'), // runtime/: one directory per container
    networks: join(root, 'networks'), // network/: IPAM allocations, bridge records
    volumes: join(root, 'volumes'), // engine/: named volumes
    projects: join(root, 'projects'), // engine/: per-project state and locks
  }) as const;
