// The shape every `gantry VERB [SERVICE...]` lifecycle command shares: open the project (progress
// lines like Compose's on stderr), run one engine call with the services and flags, exit 0.
import type { Command } from 'commander';
import type { ProjectHandle } from '../../engine/index.ts';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject, seconds } from './open-project.ts';

export type ServiceAction<F> = (h: ProjectHandle, services: string[], flags: F, signal: AbortSignal) => Promise<number | void>;

export function serviceAction<F extends object>(cmd: Command, fn: ServiceAction<F>): (services: string[], flags: F) => Promise<void> {
  return runCommand(async (ctx, services: string[], flags: F) => {
    const timeout = (flags as { timeout?: string }).timeout;
    const stop = seconds(timeout);
    if (timeout !== undefined && stop === undefined) throw new UsageError(`--timeout: not a number of seconds: ${timeout}`);
    const handle = await openCliProject(cmd, 'auto', { services, ...(stop !== undefined ? { stopTimeoutMs: stop } : {}) });
    return (await fn(handle, services, flags, ctx.signal)) ?? 0;
  });
}

/** `gantry NAME [SERVICE...]` with no flags of its own beyond -t. */
export function registerServiceVerb(program: Command, name: string, description: string, fn: ServiceAction<{ timeout?: string }>, withTimeout = false): Command {
  const cmd = program.command(name).description(description).argument('[service...]', 'only these services');
  if (withTimeout) cmd.option('-t, --timeout <seconds>', 'shutdown timeout in seconds');
  cmd.action(serviceAction(cmd, fn));
  return cmd;
}
