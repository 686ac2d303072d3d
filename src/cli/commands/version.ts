// `gantry version`: the version of gantry itself (Compose's flags: --short, -f/--format json).
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { runCommand } from '../run-command.ts';
import { packagePath } from '../../common/package-root.ts';
import { UsageError } from '../../common/errors.ts';

export function gantryVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description('show the gantry version')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('--short', 'only the version number')
    .action(
      runCommand(async (_ctx, opts: { format: string; short?: boolean }) => {
        if (!['pretty', 'table', 'json'].includes(opts.format)) throw new UsageError(`--format: pretty or json, not ${opts.format}`);
        const v = gantryVersion();
        if (opts.short) process.stdout.write(`${v}\n`);
        else process.stdout.write(opts.format === 'json' ? `${JSON.stringify({ version: v })}\n` : `gantry version ${v}\n`);
      }),
    );
}
