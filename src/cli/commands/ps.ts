// `gantry ps`: the project's containers (running only unless -a), as a table, JSON or names.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { formatTable } from '../render/table.ts';
import { loadOptionsFor } from '../load-options.ts';
import type { PsEntry } from '../../engine/index.ts';

interface PsFlags { all?: boolean; quiet?: boolean; services?: boolean; status: string[]; format: string }

const ports = (e: PsEntry): string => e.Publishers.map((p) => `${p.URL}:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`).join(', ');

export function registerPs(program: Command): void {
  const cmd = program.command('ps').description('list containers').argument('[service...]', 'only these services');
  cmd
    .option('-a, --all', 'show all containers (default: running only)')
    .option('-q, --quiet', 'only display names')
    .option('--services', 'display services')
    .option('--status <status>', 'filter by state: created, running, paused, restarting, exited (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--format <format>', 'table or json', 'table')
    .action(runCommand(async (_ctx, services: string[], f: PsFlags) => {
      if (f.format !== 'table' && f.format !== 'json') throw new UsageError(`--format: table or json, not ${f.format}`);
      const { openProjectFrom } = await import('../../engine/index.ts');
      let rows = await (await openProjectFrom(loadOptionsFor(cmd))).ps({ oneOffs: f.all ?? false });
      if (services.length > 0) rows = rows.filter((r) => services.includes(r.Service));
      if (f.status.length > 0) rows = rows.filter((r) => f.status.includes(r.State));
      else if (!f.all) rows = rows.filter((r) => r.State !== 'exited' && r.State !== 'created'); // running, paused, restarting
      if (f.services) process.stdout.write([...new Set(rows.map((r) => r.Service))].map((s) => `${s}\n`).join(''));
      else if (f.quiet) process.stdout.write(rows.map((r) => `${r.Name}\n`).join(''));
      else if (f.format === 'json') process.stdout.write(`${JSON.stringify(rows)}\n`);
      else process.stdout.write(formatTable(['NAME', 'SERVICE', 'STATUS', 'PORTS'], rows.map((r) => [r.Name, r.Service, r.Status, ports(r)])));
      return 0;
    }));
}
