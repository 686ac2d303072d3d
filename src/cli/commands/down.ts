// `gantry down`: stop and remove the project's containers and networks (-v: named volumes too),
// through the engine's down door (engine/down.ts): the down bundle holds what a down runs.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openArgs, printWarnings, seconds } from './open-project.ts';
import { progressChoice } from '../progress-choice.ts';

interface DownFlags {
  volumes?: boolean;
  removeOrphans?: boolean;
  rmi?: string;
  timeout?: string;
  dryRun?: boolean;
  progress?: string;
}

export function registerDown(program: Command): void {
  const cmd = program.command('down').description('stop and remove containers, networks (and volumes with -v)');
  cmd
    .option('-v, --volumes', 'remove named volumes declared in the project')
    .option('--remove-orphans', 'remove containers of services not in the project')
    .option('--rmi <type>', 'remove images: local (no custom tag) or all')
    .option('-t, --timeout <seconds>', 'shutdown timeout')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .action(
      runCommand(async (_ctx, f: DownFlags) => {
        if (f.rmi !== undefined && f.rmi !== 'local' && f.rmi !== 'all')
          throw new UsageError(`--rmi: must be local or all, not ${f.rmi}`);
        const stop = seconds(f.timeout);
        const { engineRenderer } = await import('../render/engine-progress.ts');
        const r = await engineRenderer(progressChoice(cmd, { quiet: f.dryRun ?? false }));
        const { openDownProject, planText } = await import('../../engine/down.ts');
        const { lo, options } = openArgs(cmd, r.sink);
        const handle = await openDownProject(lo, {
          ...options,
          ...(stop !== undefined ? { stopTimeoutMs: stop } : {}),
        });
        printWarnings(handle.project);
        const req = {
          volumes: f.volumes ?? false,
          removeOrphans: f.removeOrphans ?? false,
          ...(f.rmi ? { rmi: f.rmi as 'local' } : {}),
          dryRun: f.dryRun ?? false,
        };
        const plan = await r.run('Running', () => handle.down(req));
        if (f.dryRun) process.stdout.write(await planText(plan));
        return 0;
      }),
    );
}
