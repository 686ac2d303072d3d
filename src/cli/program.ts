// The program every gantry entry runs: global options, the root check and error reporting around
// whichever commands an entry registers. run-argv.ts registers them all; image-build-main.ts only
// `image build`, for a bundle of its own that leaves out what a build never loads.
import { Command, CommanderError } from 'commander';
import { addGlobalOptions } from './global-options.ts';
import { reportError, setDebug } from './run-command.ts';
import { checkRoot } from './root-commands.ts';
import { cliIo } from './io.ts';
import { stripComposeWord } from './compose-alias.ts';

export function programWith(register: (program: Command) => void): Command {
  const program = new Command('gantry')
    .description('Daemonless, Compose-compatible multi-container environment manager')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => cliIo().stdout(s), writeErr: (s) => cliIo().stderr(s) });
  addGlobalOptions(program);
  program.hook('preAction', (thisCommand, actionCommand) => {
    setDebug(Boolean(thisCommand.opts()['debug']) || cliIo().env['GANTRY_DEBUG'] === '1');
    checkRoot(actionCommand);
  });
  register(program);
  return program;
}

/** Parses `args` (without node and script) with `program` and runs the command in the current CLI context. */
export async function runWith(program: Command, args: readonly string[]): Promise<void> {
  try {
    await program.parseAsync([...stripComposeWord(args)], { from: 'user' });
  } catch (err) {
    // commander already printed its message (help and version exit 0).
    if (err instanceof CommanderError) cliIo().setExitCode(err.exitCode === 0 ? 0 : 2);
    else cliIo().setExitCode(reportError(err));
  }
}
