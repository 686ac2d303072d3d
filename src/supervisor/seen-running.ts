// Whether the live supervisor serves the names of containers that started after its last apply: its
// applied marker lists the ones it saw running (main.ts rewrites it at each change), so an up's
// closing sync waits for its starts to be named instead of writing the same set again. Why: that
// second apply cost a SIGHUP and the supervisor's re-read of every container of the project, 30–40 ms
// of a 10-service `up -d`'s wall at load 15 (bench/RESULTS.md, "up12").
import { filesOf, readJson, runningPid, type Applied } from './files.ts';
import { supervisorFileChanges } from './file-changes.ts';

/**
 * How long to wait for the names before the caller applies the set again (which re-reads every
 * container): a container that exits between the caller's look and the supervisor's is never named.
 */
const SEEN_WAIT_MS = 1_000;

type Look = 'seen' | 'not yet' | 'no holder';

function look(projectDir: string, generation: number, ids: readonly string[], runs: (id: string) => boolean): Look {
  const f = filesOf(projectDir);
  const a = readJson<Applied>(f.applied);
  if (a === undefined || a.generation !== generation || a.error !== undefined) return 'no holder';
  if (runningPid(f) !== a.pid) return 'no holder';
  const named = new Set(a.running ?? []);
  // One that exited since the caller's look is never named: asked again only while it is missing.
  return ids.every((id) => named.has(id) || !runs(id)) ? 'seen' : 'not yet';
}

/**
 * Resolves true once the live supervisor that applied exactly `generation` names every one of `ids`
 * that still `runs` as running; false when none holds that generation, or the names do not come
 * within SEEN_WAIT_MS.
 */
export async function supervisorSeesRunning(
  projectDir: string,
  generation: number,
  ids: readonly string[],
  runs: (id: string) => boolean,
): Promise<boolean> {
  const first = look(projectDir, generation, ids, runs);
  if (first !== 'not yet') return first === 'seen';
  // Watched before the second look: a rewrite between them is not missed.
  const changes = supervisorFileChanges(filesOf(projectDir).dir);
  try {
    for (const until = Date.now() + SEEN_WAIT_MS; Date.now() < until; await changes.next()) {
      const now = look(projectDir, generation, ids, runs);
      if (now !== 'not yet') return now === 'seen';
    }
    return false;
  } finally {
    changes.close();
  }
}
