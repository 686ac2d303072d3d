// `gantry container ls` and `inspect`: what the state directories say, as a table or JSON.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { openRuntime } from './open-runtime.ts';
import type { ContainerState } from '../../../engine/index.ts';

function statusText(s: ContainerState): string {
  if (s.status === 'running') return `Up since ${s.started ?? '?'}`;
  if (s.status === 'created') return 'Created';
  return `Exited (${s.exitCode ?? '?'})${s.oomKilled ? ' OOMKilled' : ''}`;
}

export function registerLs(container: Command): void {
  container
    .command('ls')
    .alias('ps')
    .description('list containers')
    .option('-a, --all', 'show all containers (default: running only)')
    .option('--format <format>', 'table or json', 'table')
    .action(
      runCommand(async (_ctx, opts: { all?: boolean; format: string }) => {
        const all = await (await openRuntime()).list(opts.all === true);
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(all)}\n`);
          return 0;
        }
        const rows = [
          ['CONTAINER', 'COMMAND', 'CREATED', 'STATUS'],
          ...all.map((c) => [c.id, JSON.stringify(c.args.join(' ').slice(0, 30)), c.created, statusText(c)]),
        ];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const r of rows)
          process.stdout.write(
            `${r
              .map((cell, i) => cell.padEnd(widths[i]!))
              .join('   ')
              .trimEnd()}\n`,
          );
        return 0;
      }),
    );
  container
    .command('inspect')
    .description("show containers' state and spec as JSON")
    .argument('<container...>')
    .action(
      runCommand(async (_ctx, ids: string[]) => {
        const containers = await openRuntime();
        process.stdout.write(
          `${JSON.stringify(
            ids.map((id) => containers.inspect(id)),
            null,
            2,
          )}\n`,
        );
        return 0;
      }),
    );
}
