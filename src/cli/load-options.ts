// Global options + the process environment → the project loader's options, for every command
// that reads a compose project.
import type { Command } from 'commander';
import { text } from 'node:stream/consumers';
import type { LoadOptions } from '../project/raw.ts';
import { globalOptions } from './global-options.ts';

export function loadOptionsFor(cmd: Command, extra: { interpolate?: boolean } = {}): LoadOptions {
  const g = globalOptions(cmd);
  return {
    files: g.file,
    projectName: g.projectName,
    projectDirectory: g.projectDirectory,
    envFiles: g.envFile,
    profiles: g.profile,
    environment: process.env,
    workingDir: process.cwd(),
    readStdin: () => text(process.stdin),
    ...extra,
  };
}
