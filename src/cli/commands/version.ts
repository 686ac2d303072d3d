// `gantry version`: the version of gantry itself.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { runCommand } from '../run-command.ts';
import { packagePath } from '../../common/package-root.ts';

export function gantryVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description('show the gantry version')
    .option('--format <format>', 'table or json', 'table')
    .action(
      runCommand(async (_ctx, opts: { format: string }) => {
        const v = gantryVersion();
        process.stdout.write(opts.format === 'json' ? `${JSON.stringify({ version: v })}\n` : `gantry version ${v}\n`);
      }),
    );
}
