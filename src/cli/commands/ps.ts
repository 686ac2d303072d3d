// `gantry ps`: the project's containers (running only unless -a), as a table, JSON or names.
import type { Command } from 'commander';
import { RuntimeError, UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { formatTable } from '../render/table.ts';
import { renderGoTemplate } from '../render/go-template.ts';
import { loadOptionsFor } from '../load-options.ts';
import type { PsEntry } from '../../engine/index.ts';

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  services?: boolean;
  status: string[];
  format: string;
}

// Compose's header for each template field.
const HEADERS: Readonly<Record<string, string>> = {
  ID: 'CONTAINER ID',
  Name: 'NAME',
  Image: 'IMAGE',
  Command: 'COMMAND',
  Project: 'PROJECT',
  Service: 'SERVICE',
  State: 'STATE',
  Health: 'HEALTH',
  ExitCode: 'EXIT CODE',
  Status: 'STATUS',
  Ports: 'PORTS',
};

const ports = (e: PsEntry): string =>
  e.Publishers.map((p) => `${p.URL}:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`).join(', ');

export function registerPs(program: Command): void {
  const cmd = program.command('ps').description('list containers').argument('[service...]', 'only these services');
  cmd
    .option('-a, --all', 'show all containers (default: running only)')
    .option('-q, --quiet', 'only display names')
    .option('--services', 'display services')
    .option(
      '--status <status>',
      'filter by state: created, running, paused, restarting, exited (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--format <format>', 'table, json, or a Go template ("table {{.Name}}\\t{{.Status}}")', 'table')
    .action(
      runCommand(async (_ctx, services: string[], f: PsFlags) => {
        if (f.format !== 'table' && f.format !== 'json' && !f.format.includes('{{')) {
          throw new UsageError(`--format: table, json or a Go template, not ${f.format}`);
        }
        // `-p NAME` with no compose file in reach: the project as it exists, as Compose.
        const { openProjectOrState } = await import('../../engine/index.ts');
        const handle = await openProjectOrState(loadOptionsFor(cmd));
        const unknown = services.find(
          (s) => !(s in handle.project.services) && !handle.project.disabledServices.includes(s),
        );
        if (unknown !== undefined) throw new RuntimeError(`no such service: ${unknown}`);
        let rows = await handle.ps({ oneOffs: f.all ?? false });
        if (services.length > 0) rows = rows.filter((r) => services.includes(r.Service));
        if (f.status.length > 0) rows = rows.filter((r) => f.status.includes(r.State));
        else if (!f.all) rows = rows.filter((r) => r.State !== 'exited' && r.State !== 'created'); // running, paused, restarting
        if (f.services) process.stdout.write([...new Set(rows.map((r) => r.Service))].map((s) => `${s}\n`).join(''));
        else if (f.quiet) process.stdout.write(rows.map((r) => `${r.Name}\n`).join(''));
        else if (f.format.includes('{{')) {
          // A container's id is its name in gantry; the image is the service's, as the file names it.
          const image = (r: PsEntry): string => handle.project.services[r.Service]?.image ?? '';
          const fields = (r: PsEntry): Record<string, string> => ({
            ID: r.Name,
            Name: r.Name,
            Image: image(r),
            Command: r.Command,
            Project: r.Project,
            Service: r.Service,
            State: r.State,
            Health: r.Health,
            ExitCode: String(r.ExitCode),
            Status: r.Status,
            Ports: ports(r),
          });
          process.stdout.write(renderGoTemplate(f.format, rows.map(fields), HEADERS));
        } else if (f.format === 'json') process.stdout.write(`${JSON.stringify(rows)}\n`);
        else
          process.stdout.write(
            formatTable(
              ['NAME', 'SERVICE', 'STATUS', 'PORTS'],
              rows.map((r) => [r.Name, r.Service, r.Status, ports(r)]),
            ),
          );
        return 0;
      }),
    );
}
