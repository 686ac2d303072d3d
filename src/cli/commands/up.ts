// `gantry up`: create and start the project's containers (plus what SERVICE... needs); -d
// returns once started (--wait: healthy), attached mode streams their logs until Ctrl-C.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject, seconds } from './open-project.ts';

interface UpFlags {
  detach?: boolean; wait?: boolean; waitTimeout?: string; forceRecreate?: boolean; recreate: boolean; deps: boolean;
  removeOrphans?: boolean; start: boolean; pull?: string; timeout?: string; attach: boolean; dryRun?: boolean; progress?: string;
}

export function registerUp(program: Command): void {
  const cmd = program.command('up').description('create and start containers').argument('[service...]', 'services (and their dependencies)');
  cmd
    .option('-d, --detach', 'run containers in the background')
    .option('--wait', 'wait for services to be running and healthy (implies -d)')
    .option('--wait-timeout <seconds>', 'maximum time to wait')
    .option('--force-recreate', 'recreate containers even if unchanged')
    .option('--no-recreate', 'never recreate existing containers')
    .option('--no-deps', "don't start linked services")
    .option('--remove-orphans', 'remove containers of services not in the project')
    .option('--no-start', "don't start the containers after creating them")
    .option('--pull <policy>', 'pull images: always, missing, never')
    .option('-t, --timeout <seconds>', 'shutdown timeout for recreated containers and Ctrl-C')
    .option('--no-attach', 'do not stream the logs (attached mode)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .action(runCommand(async (ctx, services: string[], f: UpFlags) => {
      if (f.forceRecreate && !f.recreate) throw new UsageError('--force-recreate and --no-recreate are incompatible');
      if (f.pull && !['always', 'missing', 'never'].includes(f.pull)) throw new UsageError(`--pull: unknown policy ${f.pull}`);
      const stop = seconds(f.timeout);
      const waitMs = seconds(f.waitTimeout);
      const { engineRenderer } = await import('../render/engine-progress.ts');
      const r = engineRenderer(f.dryRun ? 'quiet' : f.progress);
      const handle = await openCliProject(cmd, r.sink, { ...(stop !== undefined ? { stopTimeoutMs: stop } : {}), ...(waitMs !== undefined ? { waitTimeoutMs: waitMs } : {}) });
      const plan = await r.run(`Project ${handle.project.name}: up`, () => handle.up({
        services, noDeps: !f.deps, forceRecreate: f.forceRecreate ?? false, noRecreate: !f.recreate, removeOrphans: f.removeOrphans ?? false,
        noStart: !f.start, ...(f.pull ? { pull: f.pull as 'always' } : {}), dryRun: f.dryRun ?? false, wait: f.wait ?? false, signal: ctx.signal,
      }));
      if (f.dryRun) {
        const { formatPlan } = await import('../../plan/index.ts');
        process.stdout.write(formatPlan(plan));
        return 0;
      }
      if (f.detach || f.wait || !f.start) return 0;
      const { attachedUp } = await import('../render/attached.ts');
      return attachedUp(handle, services, { attach: f.attach, signal: ctx.signal });
    }));
}
