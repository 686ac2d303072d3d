// Network records on disk: one JSON file per network under the networks state dir, written
// atomically (temp + rename) and only changed while the host-wide network lock is held.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkRecord } from './types.ts';
import { byCodeUnit } from '../common/compare.ts';
import { mkdirPrivateAsync } from '../common/private-files.ts';
import { replaceFile } from '../common/replace-file.ts';

const fileOf = (root: string, id: string): string => join(root, `${encodeURIComponent(id)}.json`);

export async function readRecord(root: string, id: string): Promise<NetworkRecord | undefined> {
  try {
    return JSON.parse(await readFile(fileOf(root, id), 'utf8')) as NetworkRecord;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function writeRecord(root: string, rec: NetworkRecord): Promise<void> {
  await mkdirPrivateAsync(root);
  // replaceFile's temp names are unique per write, not per process: should the host-wide lock ever
  // be stolen (an older gantry unlinks a lock it judged stale after a fresh holder took it), two
  // writes must not share one. In place on a full disk: down must still record what it removed.
  replaceFile(fileOf(root, rec.id), JSON.stringify(rec, null, 2) + '\n');
}

/** Temp files of record writes whose process died before the rename (kill -9); the caller holds the lock. */
export async function removeDeadTemps(root: string, alive: (pid: number) => boolean): Promise<readonly string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const dead = names.filter((n) => {
    const pid = /\.json\.(\d+)(?:\.\d+)?\.tmp$/.exec(n)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
  await Promise.all(dead.map((n) => rm(join(root, n), { force: true })));
  return dead;
}

export async function deleteRecord(root: string, id: string): Promise<void> {
  await rm(fileOf(root, id), { force: true });
}

export async function listRecords(root: string): Promise<readonly NetworkRecord[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const ids = names.filter((n) => n.endsWith('.json')).map((n) => decodeURIComponent(n.slice(0, -5)));
  const recs = await Promise.all(ids.map((id) => readRecord(root, id)));
  return recs.filter((r): r is NetworkRecord => r !== undefined).sort((a, b) => byCodeUnit(a.id, b.id));
}
