// A project whose supervisor died (kill -9, OOM) has nobody restarting its containers, probing
// their health or answering their DNS. Every command that reads or acts on the project calls this
// first: a supervision set with work left (a container running or paused, or exited where its
// restart policy wants it back) and no live supervisor (pid + start time) gets a new one, which
// re-adopts the containers and keeps their health files' status and restart counts.
import type { Runtime } from '../../runtime/index.ts';
import type { EventSink } from '../events.ts';
import { filesOf, livePid, readSet } from '../../supervisor/files.ts';
import { ensureSupervisor, readHealth } from '../../supervisor/index.ts';
import { shouldRestart } from '../../supervisor/policy.ts';

/** True when the project has a supervision set but no live supervisor. */
export function supervisorDead(projectDir: string): boolean {
  const f = filesOf(projectDir);
  return (readSet(f)?.containers.length ?? 0) > 0 && livePid(f) === undefined;
}

function hasWork(runtime: Runtime, projectDir: string): boolean {
  return (readSet(filesOf(projectDir))?.containers ?? []).some((c) => {
    let st;
    try {
      st = runtime.state(c.id);
    } catch {
      return false; // removed
    }
    if (st.status === 'running' || st.status === 'paused') return true;
    const restarts = readHealth(projectDir, c.id)?.restartCount ?? 0;
    return st.status === 'exited' && shouldRestart(c.restart, st.exitCode, restarts, c.stoppedByUser === true);
  });
}

/** Restarts a dead supervisor when there is work for it; a failure is a warning, not the command's. */
export async function reviveSupervisor(runtime: Runtime, projectDir: string, emit?: EventSink): Promise<void> {
  if (!supervisorDead(projectDir) || !hasWork(runtime, projectDir)) return;
  try {
    await ensureSupervisor(projectDir);
    emit?.({
      kind: 'warning',
      message: `the project's supervisor was not running: restarted it (${filesOf(projectDir).log})`,
    });
  } catch (e) {
    emit?.({
      kind: 'warning',
      message: `the project's supervisor is not running and could not be restarted: ${(e as Error).message}`,
    });
  }
}
