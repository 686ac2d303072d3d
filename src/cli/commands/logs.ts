// `gantry logs [SERVICE...]`: the project's container logs, interleaved by time with colored
// "service-N  | " prefixes; -f follows new lines and new containers until Ctrl-C.
import { once } from 'node:events';
import type { Command } from 'commander';
import { RuntimeError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { loadOptionsFor } from '../load-options.ts';
import { useColor } from '../color-choice.ts';

interface LogsFlags {
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  color?: boolean;
  logPrefix?: boolean;
}

/** Services named must be the project's (of any profile), as Compose checks; unknown with `-p` and no file. */
function checkNamed(known: ReadonlySet<string> | undefined, services: readonly string[]): void {
  const unknown = known && services.find((s) => !known.has(s));
  if (unknown !== undefined) throw new RuntimeError(`no such service: ${unknown}`);
}

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description("show the output of the project's containers")
    .argument('[service...]')
    .option('-f, --follow', 'follow log output')
    .option('-n, --tail <lines>', 'lines from the end of each container\'s log ("all" by default)')
    .option('-t, --timestamps', 'show timestamps')
    .option('--since <time>', 'logs since a time (RFC 3339, unix seconds) or for a duration (10m)')
    .option('--until <time>', 'logs before a time or duration')
    .option('--no-color', 'monochrome output')
    .option('--no-log-prefix', 'do not print the service prefix')
    .action(
      runCommand(async (ctx, services: string[], flags: LogsFlags, cmd: Command) => {
        const [{ openProjectByName, projectNamesOf, parseTailArg, parseTimeArg }, { logFormatter }] = await Promise.all(
          [import('../../engine/index.ts'), import('../render/log-prefix.ts')],
        );
        const tail = parseTailArg(flags.tail);
        const since = flags.since === undefined ? undefined : parseTimeArg('--since', flags.since);
        const until = flags.until === undefined ? undefined : parseTimeArg('--until', flags.until);
        // One load of the files gives both the name and the service names.
        const names = await projectNamesOf(loadOptionsFor(cmd, { interpolate: true }));
        checkNamed(names.services, services);
        const warn = (e: { kind: string; message?: string }): void =>
          void process.stderr.write(`WARN: ${e.message ?? e.kind}\n`);
        const project = openProjectByName(names.name, { emit: warn });
        // `gantry logs | head`: a closed pipe ends the command quietly, as it does for cat.
        process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : undefined));
        const format = logFormatter({
          color: useColor(cmd, flags.color !== false),
          prefix: flags.logPrefix !== false,
          timestamps: flags.timestamps === true,
        });
        await project.logs({
          services,
          follow: flags.follow === true,
          ...(tail !== undefined ? { tail } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
          signal: ctx.signal,
          // Backpressure: a slow reader of a multi-GB log must not make gantry buffer it all.
          onLine: (l) =>
            process.stdout.write(format(l)) ? undefined : once(process.stdout, 'drain').then(() => undefined),
        });
        return 0;
      }),
    );
}
