// Global flags shared by every compose-level command, as Docker Compose defines them.
import type { Command } from 'commander';
import { parseAnsi } from './color-choice.ts';

export interface GlobalOptions {
  readonly file: readonly string[];
  readonly projectName: string | undefined;
  readonly projectDirectory: string | undefined;
  readonly envFile: readonly string[];
  readonly profile: readonly string[];
  readonly debug: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addGlobalOptions(program: Command): Command {
  return program
    .option('-f, --file <path>', 'compose configuration file (repeatable, - for stdin)', collect, [])
    .option('-p, --project-name <name>', 'project name')
    .option('--project-directory <dir>', 'alternate working directory (default: directory of the first file)')
    .option('--env-file <path>', 'alternate environment file (repeatable)', collect, [])
    .option('--profile <name>', 'enable a profile (repeatable)', collect, [])
    .option('--debug', 'print stack traces and command output on errors', false)
    .option('--ansi <mode>', 'control characters and colours: never, always or auto', parseAnsi, 'auto')
    .option(
      '--progress <mode>',
      'progress output: auto, tty, plain, json or quiet (a command may set its own)',
      'auto',
    );
}

/** Reads the global options from any (sub)command, walking up to the root program. */
export function globalOptions(cmd: Command): GlobalOptions {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const o = root.opts<{
    file: string[];
    projectName?: string;
    projectDirectory?: string;
    envFile: string[];
    profile: string[];
    debug: boolean;
  }>();
  return {
    file: o.file,
    projectName: o.projectName,
    projectDirectory: o.projectDirectory,
    envFile: o.envFile,
    profile: o.profile,
    debug: o.debug,
  };
}
