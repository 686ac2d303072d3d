// `gantry push [SERVICE...]`: push the images of the services built here (`build:` with `image:`),
// Docker's per-blob lines on stderr, one `SERVICE: TAG: digest: … size: N` line each on stdout.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';
import { pushedLine, pushLine } from './image/push.ts';

export function registerPush(program: Command): void {
  const cmd = program
    .command('push')
    .description("push the services' images")
    .argument('[service...]', 'only these services');
  cmd
    .option('--ignore-push-failures', 'push what it can and warn about the rest')
    .option('-q, --quiet', 'no progress')
    .action(
      runCommand(async (ctx, services: string[], f: { ignorePushFailures?: boolean; quiet?: boolean }) => {
        const handle = await openCliProject(cmd, f.quiet ? 'quiet' : 'auto');
        const pushed = await handle.push(services, {
          ignoreFailures: f.ignorePushFailures ?? false,
          signal: ctx.signal,
          onProgress: (service, e) => {
            const line = f.quiet ? undefined : pushLine(e);
            if (line) process.stderr.write(`[${service}] ${line}\n`);
          },
        });
        for (const p of pushed) process.stdout.write(`${p.service}: ${pushedLine(p)}\n`);
        return 0;
      }),
    );
}
