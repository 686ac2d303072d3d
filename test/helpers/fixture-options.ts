// Loader options for a fixture directory: args.json (files, envFiles, profiles, env, projectName,
// projectDirectory, workingDir, interpolate, stdin) over defaults; no process environment leaks in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadOptions } from '../../src/project/raw.ts';

interface Args {
  files?: string[];
  envFiles?: string[];
  profiles?: string[];
  env?: Record<string, string>;
  projectName?: string;
  projectDirectory?: string;
  workingDir?: string;
  interpolate?: boolean;
  stdin?: string;
}

export const readFixtureFile = (dir: string, f: string): string | undefined => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);

export function fixtureOptions(dir: string): LoadOptions {
  const args = JSON.parse(readFixtureFile(dir, 'args.json') ?? '{}') as Args;
  const stdin = args.stdin;
  return {
    files: args.files ?? [],
    envFiles: args.envFiles ?? [],
    profiles: args.profiles ?? [],
    environment: args.env ?? {},
    workingDir: join(dir, args.workingDir ?? ''),
    projectName: args.projectName,
    projectDirectory: args.projectDirectory,
    ...(args.interpolate === undefined ? {} : { interpolate: args.interpolate }),
    ...(stdin === undefined ? {} : { readStdin: async () => readFileSync(join(dir, stdin), 'utf8') }),
  };
}
