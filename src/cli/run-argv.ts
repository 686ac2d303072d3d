// argv → command → exit code. Each area registers its own commands; this file only wires them
// together. `main.ts` runs it on the real process; `runArgv` runs it in-process on buffers.
import type { Command } from 'commander';
import { registerCommands } from './commands/index.ts';
import { withCliIo, type CliIo } from './io.ts';
import { programWith, runWith } from './program.ts';

export function buildProgram(): Command {
  return programWith(registerCommands);
}

/** Parses `args` (without node and script) and runs the command in the current CLI context. */
export async function runProgram(args: readonly string[]): Promise<void> {
  await runWith(buildProgram(), args);
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
