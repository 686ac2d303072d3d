// `gantry pull [SERVICE...]`: pull the project's images (progress on stderr).
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';
import { progressChoice } from '../progress-choice.ts';

export function registerPull(program: Command): void {
  const cmd = program
    .command('pull')
    .description("pull the services' images")
    .argument('[service...]', 'only these services');
  cmd
    .option('--ignore-pull-failures', 'pull what it can and warn about the rest')
    .option('-q, --quiet', 'no progress')
    .action(
      runCommand(async (ctx, services: string[], f: { ignorePullFailures?: boolean; quiet?: boolean }) => {
        const { engineRenderer } = await import('../render/engine-progress.ts');
        const r = await engineRenderer(progressChoice(cmd, { quiet: f.quiet ?? false }));
        const handle = await openCliProject(cmd, r.sink);
        const req = { ignoreFailures: f.ignorePullFailures ?? false, signal: ctx.signal };
        await r.run('Pulling', () => handle.pull(services, req));
        return 0;
      }),
    );
}
