// The project environment: `.env` (or `--env-file` files, later wins) overlaid by the shell
// environment, which always wins. Also reads COMPOSE_DISABLE_ENV_FILE.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { ConfigError } from '../common/errors.ts';
import { parseDotEnv } from './dotenv.ts';
import { noteFile, noteText } from './input-record.ts';

export { parseDotEnv, type DotEnvOptions } from './dotenv.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Go's strconv.ParseBool truthy spellings, which Compose uses for its boolean variables. */
export function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v);
}

/**
 * Reads env files in order (later files win); each file may interpolate the shell environment
 * (which wins), its own earlier keys, then what earlier files set. `required` files must exist; the default `.env` is optional.
 */
export function readEnvFiles(files: readonly string[], shell: Env, required: boolean): Record<string, string> {
  const acc: Record<string, string> = {};
  for (const file of files) {
    noteFile(file);
    if (!existsSync(file)) {
      if (required) throw new ConfigError(`env file ${file} not found`);
      continue;
    }
    if (statSync(file).isDirectory()) throw new ConfigError(`env file ${file} is a directory`);
    const text = readFileSync(file, 'utf8');
    noteText(text);
    const vars = parseDotEnv(text, { file, lookup: (n) => shell[n], fallback: (n) => acc[n] });
    Object.assign(acc, vars);
  }
  return acc;
}

/** The `.env` files of a project: `--env-file` values (relative to `cwd`) or `<dir>/.env`. */
export function envFilesFor(
  explicit: readonly string[],
  cwd: string,
  dir: string,
): { files: string[]; required: boolean } {
  if (explicit.length > 0) return { files: explicit.map((f) => resolve(cwd, f)), required: true };
  return { files: [join(dir, '.env')], required: false };
}

/** Shell values win over file values; unset shell entries are skipped. */
export function overlay(fileVars: Readonly<Record<string, string>>, shell: Env): Record<string, string> {
  const out: Record<string, string> = { ...fileVars };
  for (const [k, v] of Object.entries(shell)) if (v !== undefined) out[k] = v;
  return out;
}
