// `gantry version`: the version of gantry itself (Compose's flags: --short, -f/--format json).
import { CommanderError, type Command } from 'commander';
import { cliIo } from '../io.ts';
import { readFileSync } from 'node:fs';
import { runCommand } from '../run-command.ts';
import { packagePath } from '../../common/package-root.ts';
import { UsageError } from '../../common/errors.ts';

export function gantryVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function registerVersionCommand(program: Command): void {
  // `gantry --version` as well (what installers and CI scripts try first); read only when asked,
  // so other commands do not pay for reading package.json.
  program.option('--version', 'show the gantry version');
  program.on('option:version', () => {
    cliIo().stdout(`gantry version ${gantryVersion()}\n`);
    throw new CommanderError(0, 'gantry.version', '');
  });
  program
    .command('version')
    .description('show the gantry version')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('--short', 'only the version number')
    .action(
      runCommand(async (_ctx, opts: { format: string; short?: boolean }) => {
        if (!['pretty', 'table', 'json'].includes(opts.format))
          throw new UsageError(`--format: pretty or json, not ${opts.format}`);
        const v = gantryVersion();
        if (opts.short) process.stdout.write(`${v}\n`);
        else
          process.stdout.write(
            opts.format === 'json' ? `${JSON.stringify({ version: v })}\n` : `gantry version ${v}\n`,
          );
      }),
    );
}
