// `gantry pull [SERVICE...]`: pull the project's images (progress on stderr).
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';

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
        const handle = await openCliProject(cmd, f.quiet ? 'quiet' : 'auto');
        await handle.pull(services, { ignoreFailures: f.ignorePullFailures ?? false, signal: ctx.signal });
        return 0;
      }),
    );
}
