// `gantry watch [SERVICE...]`: bring the project up (building missing images) unless --no-up,
// then run the services' develop.watch rules until Ctrl-C; the containers stay up after it.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';

interface WatchFlags {
  up: boolean;
  prune?: boolean;
  quiet?: boolean;
}

export function registerWatch(program: Command): void {
  const cmd = program
    .command('watch')
    .description('watch the build context of services and sync, rebuild or restart them on change')
    .argument('[service...]', 'only these services');
  cmd
    .option('--no-up', 'do not bring the project up first')
    .option('--prune', 'remove dangling images after a rebuild')
    .option('--quiet', 'print only errors');
  cmd.action(
    runCommand(async (ctx, services: string[], f: WatchFlags) => {
      const handle = await openCliProject(cmd, f.quiet ? 'quiet' : 'plain');
      if (f.up) await handle.up({ services, signal: ctx.signal });
      const { startWatchLines, untilAborted } = await import('../render/watch-session.ts');
      const session = await startWatchLines(handle, { services, quiet: f.quiet ?? false, prune: f.prune ?? false });
      await untilAborted(ctx.signal);
      await session.stop();
      return 0;
    }),
  );
}
