// `gantry top [SERVICE...]`: per running container its name, then its processes as `ps -ef`.
import type { Command } from 'commander';
import { formatTable } from '../render/table.ts';
import { serviceAction } from './service-action.ts';

export function registerTop(program: Command): void {
  const cmd = program
    .command('top')
    .description('display the running processes')
    .argument('[service...]', 'only these services');
  cmd.action(
    serviceAction(cmd, async (h, { services }) => {
      const entries = await h.top(services);
      process.stdout.write(entries.map((e) => `${e.name}\n${formatTable(e.titles, e.processes)}`).join('\n'));
    }),
  );
}
