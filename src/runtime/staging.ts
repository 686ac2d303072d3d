// Container directories come and go by rename, so a gantry killed mid-way never leaves a
// half-made or half-removed `<containers>/<id>` (one without state would block the name for
// good): created under `.creating.<pid>.<id>` and renamed into place complete; renamed to
// `.deleting.<pid>.<id>` before being removed. Prune drops staging dirs of dead processes.
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { removeInsideAsync } from '../common/remove-inside.ts';

export type Staging = 'creating' | 'deleting';

export const stagingName = (kind: Staging, id: string): string => `.${kind}.${process.pid}.${id}`;

export const isStaging = (name: string): boolean => name.startsWith('.');

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

/** Removes staging dirs whose process is gone; returns their names. */
export async function pruneStaging(containersDir: string): Promise<string[]> {
  const names = await fs.readdir(containersDir).catch(() => [] as string[]);
  const dead = names.filter((n) => {
    const m = /^\.(?:creating|deleting)\.(\d+)\./.exec(n);
    return m !== null && !alive(Number(m[1]));
  });
  for (const n of dead) await removeInsideAsync(containersDir, join(containersDir, n));
  return dead;
}
