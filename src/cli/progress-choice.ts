// Which progress display a command gets, decided as Docker Compose decides it: the command's
// --progress, else the global one (auto by default). auto is the live view on a terminal and plain
// lines elsewhere (a pipe, CI, --ansi never); tty with --ansi never and plain with --ansi always
// are refused, as Compose refuses them; none is quiet.
import type { Command } from 'commander';
import { UsageError } from '../common/errors.ts';
import type { AnsiMode } from './color-choice.ts';
import { cliIo } from './io.ts';

export type Display = 'tty' | 'plain' | 'json' | 'quiet';

export interface DisplayInputs {
  readonly progress: string;
  readonly ansi: AnsiMode;
  readonly ci: boolean;
  readonly terminal: boolean;
}

export function chooseDisplay(i: DisplayInputs): Display {
  switch (i.progress) {
    case 'auto':
      return i.ansi !== 'never' && !i.ci && i.terminal ? 'tty' : 'plain';
    case 'tty':
      if (i.ansi === 'never') throw new UsageError("can't use --progress tty while ANSI support is disabled");
      return 'tty';
    case 'plain':
      if (i.ansi === 'always') throw new UsageError("can't use --progress plain while ANSI support is forced");
      return 'plain';
    case 'quiet':
    case 'none':
      return 'quiet';
    case 'json':
      return 'json';
    default:
      throw new UsageError(`--progress: unknown mode ${i.progress} (auto, tty, plain, json, quiet)`);
  }
}

export interface ProgressChoice {
  readonly display: Display;
  /** The live view where stdout is no terminal (--progress tty on a pipe): listr2 must be told. */
  readonly forceTty: boolean;
  /** --quiet-pull: no pull progress (a failed pull is still shown). */
  readonly quietPull: boolean;
}

/** The terminal the live view draws on: listr2 writes to stdout; a pty without a width wraps every character. */
export function onTerminal(): boolean {
  return process.stdout.isTTY === true && process.stderr.isTTY === true && (process.stdout.columns ?? 0) > 0;
}

const ciEnv = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v !== 'false';

export function progressChoice(cmd: Command, o: { quiet?: boolean; quietPull?: boolean } = {}): ProgressChoice {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const own = cmd.getOptionValueSource('progress') === 'cli' ? cmd.opts<{ progress?: string }>().progress : undefined;
  const global = root.opts<{ progress?: string; ansi?: AnsiMode }>();
  const terminal = onTerminal();
  const display = chooseDisplay({
    progress: own ?? global.progress ?? 'auto',
    ansi: global.ansi ?? 'auto',
    ci: ciEnv(cliIo().env['CI']),
    terminal,
  });
  return {
    display: o.quiet ? 'quiet' : display,
    forceTty: display === 'tty' && !terminal,
    quietPull: o.quietPull ?? false,
  };
}
