// The one wrapper every command goes through: signals become an AbortSignal, errors become one
// line on stderr and an exit code; stack traces only with --debug.
import { GantryError } from '../common/errors.ts';

export interface CommandContext {
  readonly signal: AbortSignal;
  readonly debug: boolean;
}

let debugEnabled = false;
export function setDebug(on: boolean): void {
  debugEnabled = on;
}
export function isDebug(): boolean {
  return debugEnabled;
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
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (err) {
      process.exitCode = reportError(err);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}

/** Prints an error the way users should see it and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof GantryError) {
    process.stderr.write(`${err.message}\n`);
    if (debugEnabled && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`gantry: internal error: ${message}\n`);
  if (debugEnabled && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(run with --debug for details)\n');
  return 70;
}
