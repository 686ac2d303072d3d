// `gantry events [SERVICE...]`: the project's container events as they happen (from now, or
// --since), one line each as Compose prints them, or JSON lines with --json.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';
import type { ProjectEvent } from '../../engine/index.ts';

interface EventsFlags {
  json?: boolean;
  since?: string;
  until?: string;
}

export function formatEvent(e: ProjectEvent): string {
  const attrs = Object.keys(e.attributes)
    .sort()
    .map((k) => `${k}=${e.attributes[k]}`);
  return `${e.time} container ${e.action} ${e.id}${attrs.length > 0 ? ` (${attrs.join(', ')})` : ''}\n`;
}

export function registerEvents(program: Command): void {
  const cmd = program
    .command('events')
    .description('receive real time events from containers')
    .argument('[service...]', 'only these services')
    .option('--json', 'output events as a stream of json objects')
    .option('--since <time>', 'show all events created since timestamp (RFC 3339, unix seconds, or a duration: 10m)')
    .option('--until <time>', 'stream events until this timestamp');
  cmd.action(
    runCommand(async (ctx, services: string[], f: EventsFlags) => {
      const { parseTimeArg } = await import('../../engine/index.ts');
      const since = f.since === undefined ? undefined : parseTimeArg('--since', f.since);
      const until = f.until === undefined ? undefined : parseTimeArg('--until', f.until);
      const handle = await openCliProject(cmd);
      process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : undefined));
      await handle.events({
        services,
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        signal: ctx.signal,
        onEvent: (e) => void process.stdout.write(f.json ? `${JSON.stringify(e)}\n` : formatEvent(e)),
      });
      return 0;
    }),
  );
}
