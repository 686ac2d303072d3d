// `gantry scale SERVICE=N...`: converge the named services to N containers each (numbered 1..N,
// the highest numbers removed first), starting their dependencies unless --no-deps; detached.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';
import { checkScale, parseScaleArgs } from './scale-args.ts';
import { progressChoice } from '../progress-choice.ts';

export function registerScale(program: Command): void {
  const cmd = program
    .command('scale')
    .description('scale services')
    .argument('<service=replicas...>', 'services and their number of containers');
  cmd
    .option('--no-deps', "don't start linked services")
    .option('--dry-run', 'print the plan and change nothing')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .action(
      runCommand(async (ctx, words: string[], f: { deps: boolean; progress?: string; dryRun?: boolean }) => {
        const scale = parseScaleArgs(words, (w) => `invalid scale specifier: ${w}`);
        if (Object.keys(scale).length === 0) throw new UsageError('scale: SERVICE=REPLICAS expected');
        const { engineRenderer } = await import('../render/engine-progress.ts');
        const r = await engineRenderer(progressChoice(cmd, { quiet: f.dryRun ?? false }));
        const handle = await openCliProject(cmd, r.sink);
        checkScale(handle.project, scale);
        const req = {
          services: Object.keys(scale),
          scale,
          noDeps: !f.deps,
          dryRun: f.dryRun ?? false,
          signal: ctx.signal,
        };
        const plan = await r.run('Running', () => handle.up(req));
        if (f.dryRun) process.stdout.write(await (await import('../../engine/index.ts')).planText(plan));
        return 0;
      }),
    );
}
