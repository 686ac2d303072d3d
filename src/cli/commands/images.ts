// `gantry images`: the image each of the project's containers runs.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { formatTable, humanSize } from '../render/table.ts';
import { openCliProject } from './open-project.ts';

export function registerImages(program: Command): void {
  const cmd = program.command('images').description('list the images used by the project containers');
  cmd
    .option('-q, --quiet', 'only image ids')
    .option('--format <format>', 'table or json', 'table')
    .action(
      runCommand(async (_ctx, f: { quiet?: boolean; format: string }) => {
        if (f.format !== 'table' && f.format !== 'json')
          throw new UsageError(`--format: table or json, not ${f.format}`);
        const rows = await (await openCliProject(cmd, 'quiet')).images();
        if (f.quiet) process.stdout.write([...new Set(rows.map((r) => r.ID))].map((i) => `${i}\n`).join(''));
        else if (f.format === 'json') process.stdout.write(`${JSON.stringify(rows)}\n`);
        else
          process.stdout.write(
            formatTable(
              ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
              rows.map((r) => [r.Container, r.Repository, r.Tag, r.ID, humanSize(r.Size)]),
            ),
          );
        return 0;
      }),
    );
}
