// `gantry ls`: the projects of this state root (running ones unless -a), as a table, JSON or names.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { formatTable } from '../render/table.ts';

interface LsFlags {
  all?: boolean;
  quiet?: boolean;
  filter: string[];
  format: string;
}

/** Compose's only ls filter: name=VALUE (a substring of the project name). */
function nameFilters(filters: readonly string[]): string[] {
  return filters.map((f) => {
    const m = /^name=(.*)$/.exec(f);
    if (!m) throw new UsageError(`--filter: only name=VALUE is supported, not "${f}"`);
    return m[1]!;
  });
}

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('list running projects')
    .option('-a, --all', 'show all projects (default: running ones only)')
    .option('-q, --quiet', 'only display project names')
    .option('--filter <filter>', 'filter output: name=VALUE (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--format <format>', 'table or json', 'table')
    .action(
      runCommand(async (_ctx, f: LsFlags) => {
        if (f.format !== 'table' && f.format !== 'json')
          throw new UsageError(`--format: table or json, not ${f.format}`);
        const names = nameFilters(f.filter);
        const { listProjectRows } = await import('../../engine/index.ts');
        const rows = (await listProjectRows({ all: f.all === true })).filter((r) =>
          names.every((n) => r.Name.includes(n)),
        );
        if (f.quiet) process.stdout.write(rows.map((r) => `${r.Name}\n`).join(''));
        else if (f.format === 'json') process.stdout.write(`${JSON.stringify(rows)}\n`);
        else
          process.stdout.write(
            formatTable(
              ['NAME', 'STATUS', 'CONFIG FILES'],
              rows.map((r) => [r.Name, r.Status, r.ConfigFiles]),
            ),
          );
        return 0;
      }),
    );
}
