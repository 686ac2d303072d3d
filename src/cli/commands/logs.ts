// `gantry logs [SERVICE...]`: the project's container logs, interleaved by time with colored
// "service-N  | " prefixes; -f follows new lines and new containers until Ctrl-C.
import { once } from 'node:events';
import type { Command } from 'commander';
import { RuntimeError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { globalOptions } from '../global-options.ts';
import { loadOptionsFor } from '../load-options.ts';

interface LogsFlags {
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  color?: boolean;
  logPrefix?: boolean;
}

/** The project's name; services named must be the project's (any profile), as Compose checks. */
async function projectName(cmd: Command, services: readonly string[]): Promise<string> {
  const given = globalOptions(cmd).projectName;
  if (given && services.length === 0) return given;
  const { loadRaw } = await import('../../project/load-raw.ts');
  let raw: Awaited<ReturnType<typeof loadRaw>>;
  try {
    raw = await loadRaw(loadOptionsFor(cmd, { interpolate: true }));
  } catch (e) {
    if (given) return given; // -p without a compose file here: the containers' labels are all there is
    throw e;
  }
  const data = raw.data['services'];
  const known = new Set([...Object.keys(typeof data === 'object' && data !== null ? data : {}), ...(raw.disabledServices ?? [])]);
  const unknown = services.find((s) => !known.has(s));
  if (unknown !== undefined) throw new RuntimeError(`no such service: ${unknown}`);
  return given ?? raw.name;
}

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description('show the output of the project\'s containers')
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
        const [{ createRuntime }, { streamLogs }, { projectLogSources }, { parseTailArg, parseTimeArg }, { logFormatter }] = await Promise.all([
          import('../../runtime/index.ts'), import('../../engine/logs.ts'), import('../../engine/log-sources.ts'),
          import('../../engine/log-merge.ts'), import('../render/log-prefix.ts'),
        ]);
        const tail = parseTailArg(flags.tail);
        const since = flags.since === undefined ? undefined : parseTimeArg('--since', flags.since);
        const until = flags.until === undefined ? undefined : parseTimeArg('--until', flags.until);
        const project = await projectName(cmd, services);
        const rt = createRuntime({});
        const [{ reviveSupervisor }, { projectDir }, { stateRoot }] = await Promise.all([
          import('../../engine/revive-supervisor.ts'), import('../../engine/state.ts'), import('../../common/state-root.ts'),
        ]);
        const warn = (e: { kind: string; message?: string }): void => void process.stderr.write(`WARN: ${e.message ?? e.kind}\n`);
        await reviveSupervisor(rt, projectDir(stateRoot(), project), warn);
        // `gantry logs | head`: a closed pipe ends the command quietly, as it does for cat.
        process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : undefined));
        const format = logFormatter({ color: flags.color !== false && process.stdout.isTTY === true, prefix: flags.logPrefix !== false, timestamps: flags.timestamps === true });
        await streamLogs({
          projectContainers: () => projectLogSources(rt, project, services),
          follow: flags.follow === true,
          ...(tail !== undefined ? { tail } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
          signal: ctx.signal,
          // Backpressure: a slow reader of a multi-GB log must not make gantry buffer it all.
          onLine: (l) => (process.stdout.write(format(l)) ? undefined : once(process.stdout, 'drain').then(() => undefined)),
        });
        return 0;
      }),
    );
}
