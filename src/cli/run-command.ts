// The one wrapper every command goes through: signals become an AbortSignal, errors become one
// line on stderr and an exit code; stack traces only with --debug.
import { GantryError } from '../common/errors.ts';
import { cliIo } from './io.ts';

export interface CommandContext {
  readonly signal: AbortSignal;
  readonly debug: boolean;
}

let debugEnabled = false;
export function setDebug(on: boolean): void {
  debugEnabled = on;
}

/** Wraps a command action: runs it, maps its error to an exit code, never throws. */
export function runCommand<A extends unknown[]>(
  action: (ctx: CommandContext, ...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      interrupts++;
      // A second Ctrl-C means "now": stop waiting for a graceful end.
      if (interrupts > 1) process.exit(130);
      controller.abort(new Error(`interrupted by ${sig}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const code = await action({ signal: controller.signal, debug: debugEnabled }, ...args);
      cliIo().setExitCode(typeof code === 'number' ? code : 0);
    } catch (err) {
      cliIo().setExitCode(reportError(err));
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}

/** Prints an error the way users should see it and returns the exit code. */
export function reportError(err: unknown): number {
  const write = cliIo().stderr;
  if (err instanceof GantryError) {
    write(`${err.message}\n`);
    if (debugEnabled && err.stack) write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  write(`gantry: internal error: ${message}\n`);
  if (debugEnabled && err instanceof Error && err.stack) write(`${err.stack}\n`);
  else write('(run with --debug for details)\n');
  return 70;
}
