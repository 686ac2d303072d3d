// argv → command → exit code. Each area registers its own commands; this file only wires them
// together. `main.ts` runs it on the real process; `runArgv` runs it in-process on buffers.
import { Command, CommanderError } from 'commander';
import { addGlobalOptions } from './global-options.ts';
import { reportError, setDebug } from './run-command.ts';
import { registerCommands } from './commands/index.ts';
import { checkRoot } from './root-commands.ts';
import { cliIo, withCliIo, type CliIo } from './io.ts';
import { stripComposeWord } from './compose-alias.ts';

export function buildProgram(): Command {
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
  registerCommands(program);
  return program;
}

/** Parses `args` (without node and script) and runs the command in the current CLI context. */
export async function runProgram(args: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...stripComposeWord(args)], { from: 'user' });
  } catch (err) {
    // commander already printed its message (help and version exit 0).
    if (err instanceof CommanderError) cliIo().setExitCode(err.exitCode === 0 ? 0 : 2);
    else cliIo().setExitCode(reportError(err));
  }
}

export interface ArgvResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs gantry in-process on `args` with its output captured; never exits the process. */
export async function runArgv(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<ArgvResult> {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const io: CliIo = {
    stdout: (chunk) => void (stdout += chunk),
    stderr: (chunk) => void (stderr += chunk),
    env: opts.env ?? process.env,
    cwd: () => opts.cwd ?? process.cwd(),
    stdin: () => Promise.resolve(opts.input ?? ''),
    setExitCode: (code) => void (exitCode = code),
  };
  await withCliIo(io, () => runProgram(args));
  return { exitCode, stdout, stderr };
}
