// The shape every `gantry VERB [SERVICE...]` lifecycle command shares: open the project (progress
// lines like Compose's on stderr), run one engine call with the services and flags, exit 0.
// --dry-run asks the engine for the plan only and prints it: the ops a run without it carries out.
import type { Command } from 'commander';
import type { Plan } from '../../engine/index.ts';
import type { ProjectHandle } from '../../engine/index.ts';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject, seconds } from './open-project.ts';
import { progressChoice } from '../progress-choice.ts';

/** What every verb passes on to the engine. */
export interface VerbRequest {
  readonly services: string[];
  readonly signal: AbortSignal;
  readonly dryRun: boolean;
}

interface CommonFlags {
  timeout?: string;
  dryRun?: boolean;
}

export type ServiceAction<F> = (h: ProjectHandle, req: VerbRequest, flags: F) => Promise<Plan | number | void>;

/**
 * `live`: the verb changes containers and may draw the live view on a terminal (start, stop,
 * restart, kill...); verbs that print results or ask questions (top, wait, rm) keep plain lines.
 */
export function serviceAction<F extends object>(
  cmd: Command,
  fn: ServiceAction<F>,
  o: { live?: boolean } = {},
): (services: string[], flags: F) => Promise<void> {
  return runCommand(async (ctx, services: string[], flags: F) => {
    const { timeout, dryRun = false } = flags as CommonFlags;
    const stop = seconds(timeout);
    if (timeout !== undefined && stop === undefined)
      throw new UsageError(`--timeout: not a number of seconds: ${timeout}`);
    const choice = progressChoice(cmd, { quiet: dryRun });
    const { engineRenderer } = await import('../render/engine-progress.ts');
    const r = await engineRenderer(o.live || choice.display !== 'tty' ? choice : { ...choice, display: 'plain' });
    const handle = await openCliProject(cmd, r.sink, {
      services,
      ...(stop !== undefined ? { stopTimeoutMs: stop } : {}),
    });
    const out = await r.run('Running', () => fn(handle, { services, signal: ctx.signal, dryRun }, flags));
    if (typeof out === 'number') return out;
    if (dryRun && out) process.stdout.write(await (await import('../../engine/index.ts')).planText(out));
    return 0;
  });
}

/** The options every verb has: --dry-run and --progress. */
export function addVerbOptions(cmd: Command): Command {
  return cmd
    .option('--dry-run', 'print the plan and change nothing')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto');
}

/** `gantry NAME [SERVICE...]` with no flags of its own beyond -t. */
export function registerServiceVerb(
  program: Command,
  name: string,
  description: string,
  fn: ServiceAction<CommonFlags>,
  withTimeout = false,
): Command {
  const cmd = program.command(name).description(description).argument('[service...]', 'only these services');
  if (withTimeout) cmd.option('-t, --timeout <seconds>', 'shutdown timeout in seconds');
  addVerbOptions(cmd).action(serviceAction(cmd, fn, { live: true }));
  return cmd;
}
