#!/usr/bin/env node
// argv → command. Each area registers its own commands; this file only wires them together.
import { Command, CommanderError } from 'commander';
import { addGlobalOptions } from './global-options.ts';
import { reportError, setDebug } from './run-command.ts';
import { UsageError } from '../common/errors.ts';
import { registerCommands } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('gantry')
    .description('Daemonless, Compose-compatible multi-container environment manager')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride();
  addGlobalOptions(program);
  program.hook('preAction', (thisCommand) => {
    setDebug(Boolean(thisCommand.opts()['debug']) || process.env['GANTRY_DEBUG'] === '1');
  });
  registerCommands(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (help and version exit 0).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(err instanceof UsageError ? err : err);
  }
}

void main(process.argv); // main() reports its own errors and sets process.exitCode
