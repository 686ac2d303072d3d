// `gantry run` flags → the engine's RunRequest: Compose's defaults (interactive, a TTY when stdin
// is a terminal), -p / -v read as compose short syntax, and what gantry cannot do refused by name.
import type { Project, RunRequest } from '../../engine/index.ts';
import { UnsupportedError, UsageError } from '../../common/errors.ts';
import { envFlags, wantsTty } from './service-flags.ts';

export interface RunFlags {
  detach?: boolean;
  rm?: boolean;
  name?: string;
  entrypoint?: string;
  env: string[];
  label: string[];
  volume: string[];
  publish: string[];
  servicePorts?: boolean;
  deps: boolean;
  user?: string;
  workdir?: string;
  TTY: boolean;
  interactive: boolean;
  useAliases?: boolean;
  pull?: string;
  build?: boolean;
  removeOrphans?: boolean;
  dryRun?: boolean;
  progress?: string;
}

function labels(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((kv) => {
      const i = kv.indexOf('=');
      return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

export async function runRequest(
  project: Project,
  service: string,
  command: string[],
  f: RunFlags,
  signal: AbortSignal,
): Promise<RunRequest> {
  if (f.removeOrphans)
    throw new UnsupportedError(
      'run --remove-orphans is not supported yet (use up --remove-orphans or down --remove-orphans)',
    );
  if (f.pull && !['always', 'missing', 'never'].includes(f.pull))
    throw new UsageError(`--pull: unknown policy ${f.pull} (always, missing, never)`);
  const { portFlags, volumeFlags, splitShellWords } = await (await import('../../engine/index.ts')).runFlagParsers();
  const entrypoint = f.entrypoint === undefined ? undefined : splitShellWords(f.entrypoint);
  if (entrypoint === undefined && f.entrypoint !== undefined)
    throw new UsageError(`--entrypoint: unterminated quote in ${f.entrypoint}`);
  return {
    service,
    command,
    signal,
    rm: f.rm ?? false,
    detach: f.detach ?? false,
    noDeps: !f.deps,
    useAliases: f.useAliases ?? false,
    servicePorts: f.servicePorts ?? false,
    env: envFlags(f.env),
    labels: labels(f.label),
    ports: portFlags(project, f.publish, process.env),
    volumes: volumeFlags(project, f.volume, process.env),
    tty: !f.detach && wantsTty(f.TTY),
    interactive: !f.detach && f.interactive,
    ...(entrypoint ? { entrypoint } : {}),
    ...(f.name ? { name: f.name } : {}),
    ...(f.user ? { user: f.user } : {}),
    ...(f.workdir ? { workdir: f.workdir } : {}),
    ...(f.pull ? { pull: f.pull as 'always' } : {}),
    ...(f.build ? { build: true } : {}),
  };
}

/** run --rm -d: the shim runs our hidden `__remove-oneoff NAME` once the program has exited. */
export function removeAfterExit(name: string): NonNullable<RunRequest['onExit']> {
  const env: Record<string, string> = {};
  if (process.env['GANTRY_ROOT']) env['GANTRY_ROOT'] = process.env['GANTRY_ROOT'];
  return { argv: [process.execPath, process.argv[1] ?? '', '__remove-oneoff', name], env };
}
