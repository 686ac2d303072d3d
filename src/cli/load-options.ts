// Global options + the process environment → the project loader's options, for every command
// that reads a compose project.
import type { Command } from 'commander';
import type { LoadOptions } from '../engine/index.ts';
import { globalOptions } from './global-options.ts';
import { cliIo } from './io.ts';

export function loadOptionsFor(
  cmd: Command,
  extra: { interpolate?: boolean; enableServices?: readonly string[] } = {},
): LoadOptions {
  const g = globalOptions(cmd);
  return {
    files: g.file,
    projectName: g.projectName,
    projectDirectory: g.projectDirectory,
    envFiles: g.envFile,
    profiles: g.profile,
    environment: cliIo().env,
    workingDir: cliIo().cwd(),
    readStdin: cliIo().stdin,
    ...extra,
  };
}
