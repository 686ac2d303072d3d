// A sync+exec rule's command, run in every replica of its service after the sync (Compose's
// `exec` block: user, working_dir, environment, privileged); its output, or why it failed.
import type { ProjectHandle } from '../engine/index.ts';
import type { WatchExec } from '../project/model.ts';

/** The output of every replica; throws with the last line of output when a replica exits non-zero. */
export async function runWatchExec(handle: ProjectHandle, service: string, x: WatchExec): Promise<string> {
  const env = Object.entries(x.environment).map(([k, v]) => (v === null ? k : `${k}=${v}`));
  const outs = await handle.execCollected({
    service,
    command: x.command,
    env,
    ...(x.user ? { user: x.user } : {}),
    ...(x.working_dir ? { workdir: x.working_dir } : {}),
    ...(x.privileged ? { privileged: true } : {}),
  });
  const failed = outs.find((o) => o.exitCode !== 0);
  const text = outs.map((o) => o.stdout + o.stderr).join('');
  if (failed)
    throw new Error(
      `exec ${x.command.join(' ')}: exit ${failed.exitCode}${text.trim() ? `: ${text.trim().split('\n').pop()}` : ''}`,
    );
  return text;
}
