// `gantry container logs [-f]`: the shim's log file, split back into stdout and stderr.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { openRuntime } from './open-runtime.ts';

export function registerLogs(container: Command): void {
  container
    .command('logs')
    .description("show a container's output")
    .argument('<container>')
    .option('-f, --follow', 'keep printing until the container exits')
    .option('--timestamps', 'prefix each line with its time')
    .action(
      runCommand(async (ctx, id: string, opts: { follow?: boolean; timestamps?: boolean }) => {
        await (
          await openRuntime()
        ).logs(id, {
          follow: opts.follow === true,
          signal: ctx.signal,
          onLine: (p) =>
            (p.stream === 'stdout' ? process.stdout : process.stderr).write(
              `${opts.timestamps ? `${p.time} ` : ''}${p.text}${p.full ? '\n' : ''}`,
            ),
        });
        return 0;
      }),
    );
}
