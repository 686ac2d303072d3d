// `run -p` / `-v` values: the compose short syntax read by the same normalizers as the file, so a
// flag means exactly what the same text would mean under `ports:` / `volumes:`.
import { ConfigError, UsageError } from '../common/errors.ts';
import type { Project, ServicePortConfig, ServiceVolumeConfig } from './model.ts';
import type { NormalizeContext } from './normalize/context.ts';
import { normalizePorts } from './normalize/ports.ts';
import { normalizeVolumes } from './normalize/volumes.ts';

function flagContext(project: Project, env: Readonly<Record<string, string | undefined>>): NormalizeContext {
  const environment = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    projectName: project.name,
    projectDir: project.workingDir,
    environment,
    positions: () => undefined,
    disabledServices: new Set(),
  };
}

function each<T>(flag: string, texts: readonly string[], read: (text: string) => T[]): T[] {
  return texts.flatMap((text) => {
    try {
      return read(text);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(`${flag} ${text}: ${e.detail}`);
      throw e;
    }
  });
}

export function portFlags(
  project: Project,
  texts: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ServicePortConfig[] {
  const ctx = flagContext(project, env);
  return each('--publish', texts, (t) => normalizePorts(ctx, ['--publish'], [t]));
}

/** Relative sources are read against the project directory, `~` against env HOME, as in the file. */
export function volumeFlags(
  project: Project,
  texts: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ServiceVolumeConfig[] {
  const ctx = flagContext(project, env);
  return each('--volume', texts, (t) => normalizeVolumes(ctx, ['--volume'], [t]));
}
