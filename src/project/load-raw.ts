// The loading half of the project pipeline, from command-line options to one merged raw
// document. Stage order:
//   1. env.ts         .env / --env-file from the first-guess directory (may set COMPOSE_FILE)
//   2. discover.ts    -f files, COMPOSE_FILE, or compose.yaml (+ override) found upward
//   3. env.ts         .env of the project directory, when discovery moved there
//   4. project-name   -p, COMPOSE_PROJECT_NAME, top-level `name` (peeked), directory name;
//                     the name becomes COMPOSE_PROJECT_NAME for interpolation
//   5. project-files  per file: load.ts (YAML + positions) → interpolate.ts → include.ts →
//                     extends.ts; then merge.ts (merge-rules.ts) with !reset/!override, unique.ts
//   6. profiles.ts    drop services of disabled profiles; check what enabled ones need
//   7. service-env.ts env_file of each remaining service → environment defaults
// Everything after (validate, normalize, check) reads the RawProject this returns.
import { dirname, resolve } from 'node:path';
import { ConfigError, type SourcePosition } from '../common/errors.ts';
import type { LoadOptions, PositionLookup, RawProject } from './raw.ts';
import { envFilesFor, isTrue, overlay, readEnvFiles, type Env } from './env.ts';
import { discoverFiles, explicitFiles, projectDirectoryFor } from './discover.ts';
import { peekName, STDIN_NAME, Warnings, type LoadContext } from './load-context.ts';
import { loadFiles } from './project-files.ts';
import { resolveProjectName } from './project-name.ts';
import { applyProfiles, requestedProfiles, type ProfileResult } from './profiles.ts';
import { resolveServiceEnvFiles } from './service-env.ts';
import { getPos, keyPositionLookup, movePos, positionLookup, setPos } from './positions.ts';
import type { Dict } from './merge-forms.ts';
import { pathShower, showPositions, withShownPath } from './shown-paths.ts';
import { noteUnrecordable } from './input-record.ts';

/**
 * Reads the files fast (js-yaml, no positions) and again with positions (yaml) only when
 * something fails, so the error names its file, line and column, or when a later stage asks for
 * a position (validation and normalization errors): the fast reading is ≈ 6× cheaper, and
 * positions serve nothing but errors. An error thus costs a second whole load: a cold `config` of
 * 400 services takes 1300 ms of CPU with a bad port in the last one against 770 ms without
 * (bench/config-cold.mjs, 2026-12-05, load ≈ 20). Reading once with yaml would charge those
 * ≈ 500 ms to every valid run instead. The cheap single pass would be js-yaml's `listener`, whose
 * node offsets cost nothing measurable over its parse; it is not done: its events would have to
 * follow the key paths convert() builds through merges and aliases (load-fast.ts).
 */
export async function loadRaw(opts: LoadOptions): Promise<RawProject> {
  const cwd = resolve(opts.workingDir);
  const setup = resolveSetup(opts, cwd, opts.environment);
  if (setup.files.includes('-')) noteUnrecordable();
  const stdinText = setup.files.includes('-') ? await (opts.readStdin?.() ?? Promise.resolve('')) : undefined;
  const show = pathShower(givenFiles(opts, setup.environment), cwd);
  const read = (precise: boolean): RawProject => {
    try {
      return loadWith(opts, setup, stdinText, precise);
    } catch (e) {
      throw withShownPath(e, show);
    }
  };
  let raw: RawProject;
  try {
    raw = read(false);
  } catch (e) {
    if (e instanceof ConfigError) return read(true);
    throw e;
  }
  let precise: RawProject | undefined;
  const again = (): RawProject => (precise ??= read(true));
  return {
    ...raw,
    positions: showPositions(
      lazyPositions(() => again().positions),
      show,
    ),
    keyPositions: showPositions(
      lazyPositions(() => again().keyPositions),
      show,
    ),
  };
}

// The files as the user named them (`-f`, else COMPOSE_FILE), for error positions.
function givenFiles(opts: LoadOptions, env: Record<string, string>): readonly string[] {
  if (opts.files.length > 0) return opts.files;
  return (env.COMPOSE_FILE ?? '').split(env.COMPOSE_PATH_SEPARATOR || ':').filter((f) => f !== '');
}

function lazyPositions(precise: () => PositionLookup): PositionLookup {
  let lookup: PositionLookup | undefined;
  return (path) => {
    if (lookup === undefined) {
      try {
        lookup = precise();
      } catch {
        lookup = () => undefined; // the precise reading fails where the fast one did not: no position to give
      }
    }
    return lookup(path);
  };
}

function loadWith(opts: LoadOptions, setup: Setup, stdinText: string | undefined, precise: boolean): RawProject {
  const warnings = new Warnings();
  setup.discoveryWarnings.forEach((w) => warnings.add(w));
  const files = setup.files;
  const base: LoadContext = {
    projectDir: setup.projectDirectory,
    env: setup.environment,
    interpolate: opts.interpolate !== false,
    warnings,
    includeStack: files.filter((f) => f !== '-'),
    stdinText,
    precise,
    cache: new Map(),
  };
  const name = resolveProjectName({
    flag: opts.projectName,
    env: setup.environment.COMPOSE_PROJECT_NAME,
    topLevel: peekName(files, base),
    projectDirectory: setup.projectDirectory,
  });
  // Compose makes the project name a variable of the files it loads.
  const environment: Record<string, string> = { ...setup.environment, COMPOSE_PROJECT_NAME: name };
  const { data, profiles } = loadDocument(
    files,
    { ...base, env: environment },
    name,
    opts.profiles,
    opts.enableServices ?? [],
  );
  const first = files[0];
  const start: SourcePosition | undefined =
    first === undefined ? undefined : { file: first === '-' ? STDIN_NAME : first, line: 1, col: 1 };
  return {
    name,
    projectDirectory: setup.projectDirectory,
    configFiles: files,
    environment,
    fileEnvironment: setup.fileEnvironment,
    data,
    allProfiles: profiles.allProfiles,
    activeProfiles: profiles.activeProfiles,
    disabledServices: profiles.disabledServices,
    positions: positionLookup(data, start),
    keyPositions: keyPositionLookup(data),
    warnings: warnings.list,
  };
}

// Stages 5–7: the files as one document, named, filtered by profile, env_file applied.
function loadDocument(
  files: readonly string[],
  ctx: LoadContext,
  name: string,
  flags: readonly string[],
  enable: readonly string[],
): { data: Dict; profiles: ProfileResult } {
  const data = loadFiles(files, ctx);
  const profiles = applyProfiles(withName(data, name), requestedProfiles(flags, ctx.env.COMPOSE_PROFILES), enable);
  return { data: resolveServiceEnvFiles(profiles.data, ctx.projectDir, ctx.env), profiles };
}

interface Setup {
  readonly environment: Record<string, string>;
  readonly fileEnvironment: Record<string, string>;
  readonly files: string[];
  readonly projectDirectory: string;
  readonly discoveryWarnings: string[];
}

// Like Docker Compose: a first .env (from --project-directory, the first -f file's directory or
// the working directory) can name COMPOSE_FILE; once the files are known, the project
// directory's .env adds what the first did not set.
function resolveSetup(opts: LoadOptions, cwd: string, shell: Env): Setup {
  const disabled = isTrue(shell.COMPOSE_DISABLE_ENV_FILE);
  const readFrom = (dir: string): Record<string, string> => {
    if (disabled) return {};
    const { files, required } = envFilesFor(opts.envFiles, cwd, dir);
    return readEnvFiles(files, shell, required);
  };
  const firstDir = opts.projectDirectory
    ? resolve(cwd, opts.projectDirectory)
    : dirname(explicitFiles(opts.files, {}, cwd).find((f) => f !== '-') ?? resolve(cwd, 'x'));
  let fileVars = readFrom(firstDir);
  const env1 = overlay(fileVars, shell);
  const named = explicitFiles(opts.files, env1, cwd);
  const found = discoverFiles(named, opts.projectDirectory ? firstDir : cwd);
  const projectDirectory = projectDirectoryFor(opts.projectDirectory, found.files, cwd);
  if (projectDirectory !== firstDir && opts.envFiles.length === 0)
    fileVars = { ...readFrom(projectDirectory), ...fileVars };
  return {
    environment: overlay(fileVars, shell),
    fileEnvironment: fileVars,
    files: found.files,
    projectDirectory,
    discoveryWarnings: found.warnings,
  };
}

// The resolved name becomes the document's top-level `name`, first, as `config` prints it.
function withName(data: Dict, name: string): Dict {
  const out: Dict = { name };
  setPos(out, 'name', getPos(data, 'name'));
  for (const k of Object.keys(data)) {
    if (k === 'name') continue;
    out[k] = data[k];
    movePos(data, k, out, k);
  }
  return out;
}
