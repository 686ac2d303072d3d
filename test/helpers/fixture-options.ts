// LoadOptions for a fixture project directory: its optional args.json names the -f files,
// env files, profiles, environment and the other options a test wants.
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

export function fixtureOptions(dir: string): LoadOptions {
  const file = join(dir, 'args.json');
  const args = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Args;
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

/** LoadOptions for an inline compose document read as `-f -` (project `demo`, working dir /tmp). */
export function stdinOptions(yaml: string): LoadOptions {
  return {
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/tmp',
    projectName: 'demo',
    readStdin: async () => yaml,
  };
}
