// `gantry stats [SERVICE...]`: live CPU, memory, network, block I/O and pids of the project's
// containers; --no-stream prints one round and exits.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { formatTable } from '../render/table.ts';
import { openCliProject } from './open-project.ts';
import { statsCells, statsRow, STATS_HEAD } from '../render/stats-row.ts';

interface StatsFlags {
  all?: boolean;
  stream: boolean;
  format: string;
  trunc?: boolean;
}

export function registerStats(program: Command): void {
  const cmd = program
    .command('stats')
    .description('display a live stream of container resource usage statistics')
    .argument('[service...]', 'only these services')
    .option('-a, --all', 'show all containers (default: running only)')
    .option('--no-stream', 'disable streaming stats and only pull the first result')
    .option('--no-trunc', 'do not truncate output (names are never truncated)')
    .option('--format <format>', 'table or json', 'table');
  cmd.action(
    runCommand(async (ctx, services: string[], f: StatsFlags) => {
      if (f.format !== 'table' && f.format !== 'json') throw new UsageError(`--format: table or json, not ${f.format}`);
      const handle = await openCliProject(cmd);
      // streaming to a terminal redraws in place, as docker does; to a pipe it appends rounds
      const redraw = f.stream && process.stdout.isTTY === true && f.format === 'table';
      await handle.stats({
        services,
        all: f.all === true,
        stream: f.stream,
        signal: ctx.signal,
        onSample: (samples) => {
          const rows = samples.map(statsRow);
          const out =
            f.format === 'json'
              ? rows.map((r) => `${JSON.stringify(r)}\n`).join('')
              : formatTable(STATS_HEAD, rows.map(statsCells));
          process.stdout.write(redraw ? `\x1b[2J\x1b[H${out}` : out);
        },
      });
      return 0;
    }),
  );
}
