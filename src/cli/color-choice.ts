// Whether output is coloured, decided as Docker Compose does: `--ansi always|never` wins, then a
// command's `--no-color`, then NO_COLOR (any non-empty value, per no-color.org), then a terminal.
import type { Command } from 'commander';
import { UsageError } from '../common/errors.ts';
import { cliIo } from './io.ts';

export type AnsiMode = 'never' | 'always' | 'auto';

export function parseAnsi(value: string): AnsiMode {
  if (value === 'never' || value === 'always' || value === 'auto') return value;
  throw new UsageError(`--ansi: unknown value "${value}" (never, always or auto)`);
}

export interface ColorInputs {
  readonly ansi: AnsiMode;
  /** The command's own `--color` (false after `--no-color`). */
  readonly commandColor: boolean;
  readonly noColorEnv: string | undefined;
  readonly isTty: boolean;
}

export function colorWanted(i: ColorInputs): boolean {
  if (i.ansi !== 'auto') return i.ansi === 'always';
  if (!i.commandColor) return false;
  if (i.noColorEnv !== undefined && i.noColorEnv !== '') return false;
  return i.isTty;
}

/** The decision for `cmd` writing to the real stdout. */
export function useColor(cmd: Command, commandColor: boolean): boolean {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const ansi = root.opts<{ ansi?: AnsiMode }>().ansi ?? 'auto';
  return colorWanted({ ansi, commandColor, noColorEnv: cliIo().env['NO_COLOR'], isTty: process.stdout.isTTY === true });
}
