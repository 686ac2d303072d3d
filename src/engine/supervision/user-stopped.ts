// `stoppedByUser` in supervision.json: a container the user stopped or killed is not restarted
// by its restart policy (Docker's rule, `unless-stopped` included) until something starts it
// again. The supervisor re-reads the file before each restart, so marking needs no reload.
import { stateRoot } from '../../common/state-root.ts';
import type { SupervisedContainer } from '../../supervisor/contract.ts';
import { readSupervisionSet, writeSupervisionSet } from './supervision-set.ts';
import { lockProject, projectDir } from '../state.ts';

function withFlag(c: SupervisedContainer, on: boolean): SupervisedContainer {
  const { stoppedByUser: _, ...rest } = c;
  return on ? { ...rest, stoppedByUser: true } : rest;
}

/** Sets or clears the flag of these containers; a project without a supervision set has nothing to restart. */
export function markStoppedByUser(dir: string, ids: Iterable<string>, on = true): void {
  const want = new Set(ids);
  const set = readSupervisionSet(dir);
  if (!set || !set.containers.some((c) => want.has(c.id) && (c.stoppedByUser === true) !== on)) return;
  writeSupervisionSet(
    dir,
    set.project,
    set.networks,
    set.containers.map((c) => (want.has(c.id) ? withFlag(c, on) : c)),
  );
}

/** For `gantry container stop|kill` of a container that belongs to a project: under its lock. */
export async function markProjectContainerStopped(
  project: string,
  id: string,
  root: string = stateRoot(),
): Promise<void> {
  const dir = projectDir(root, project);
  const lock = await lockProject(dir);
  try {
    markStoppedByUser(dir, [id]);
  } finally {
    lock.release();
  }
}
