// The project model from a record of the last load with the same options, when nothing that load read
// has changed; otherwise a full load (index.ts), recorded for the next time. What a load reads: the
// files it probed or read (input-record.ts: device, inode, mode, size, mtime and ctime, or absent),
// the variables any of their words may name and the COMPOSE_* ones and HOME, and the code of gantry
// itself. Any difference is a full load: correctness first. Why: `exec -T SERVICE true` spent ≈ 10 ms of
// CPU loading YAML, the schema validator and the normalizers (and their code cache) to rebuild the same
// model (bench/RESULTS.md, "Issue 20, exec23"). A record holds the model without the process environment
// (rebuilt from the current one, as the loader does) and only hashes of variables' values.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from './model.ts';
import type { LoadOptions } from './raw.ts';
import { fileState, withInputNotes, type InputNotes } from './input-record.ts';
import { overlay, type Env } from './env.ts';
import { deepFreeze } from './deep-freeze.ts';
import { PRIVATE_DIR } from '../common/private-files.ts';
import { replaceFile } from '../common/replace-file.ts';

// Bumped when the record's shape or what it vouches for changes.
const RECORD_REVISION = 1;
// Read by the loader by name (discover.ts, env.ts, load-raw.ts, paths.ts), never written in a file.
const NAMED_VARIABLES = [
  'COMPOSE_FILE',
  'COMPOSE_PATH_SEPARATOR',
  'COMPOSE_PROFILES',
  'COMPOSE_PROJECT_NAME',
  'COMPOSE_DISABLE_ENV_FILE',
  'HOME',
];
// A file changed in the same clock tick as the load read it may keep its times and size: a record
// waits until every input is older than this (git's "racily clean" entries, the same answer).
const RACY_MS = 100n;
// Records kept per state root: a test suite making a temp project per test would otherwise leave one file
// per project and command bundle forever. Past the cap the oldest written go; one evicted while still in
// use costs its project one full load.
const MAX_RECORDS = 64;
const RECORD_NAME = /^[0-9a-f]{16}\.json$/;

interface ProjectRecord {
  readonly key: string;
  readonly files: readonly (readonly [string, string])[];
  /** name → hash of its value, or null for unset. */
  readonly variables: Readonly<Record<string, string | null>>;
  readonly fileEnvironment: Readonly<Record<string, string>>;
  /** The model, its `environment` null (rebuilt at each use). */
  readonly project: Record<string, unknown>;
}

/** `lo`'s project, from a record under `dir` when it still holds, else loaded and recorded there. */
export async function loadProjectRecorded(lo: LoadOptions, dir: string): Promise<Project> {
  const slot = recordSlot(lo);
  const key = recordKey(slot);
  const file = join(dir, `${hash(slot)}.json`);
  const held = readRecord(file, key, lo.environment);
  if (held) return held;
  const { loadRaw, projectFromRaw } = await import('./index.ts');
  const { value: raw, notes } = await withInputNotes(() => loadRaw(lo));
  const project = projectFromRaw(raw);
  try {
    const record = recordOf(key, notes, lo.environment, raw.fileEnvironment ?? {}, project);
    if (record) {
      // Beside the state root's other directories, never creating the root itself (secure-root.ts does).
      if (!existsSync(dir)) mkdirSync(dir, { mode: PRIVATE_DIR });
      replaceFile(file, JSON.stringify(record));
      pruneRecords(dir);
    }
  } catch {
    // a record is only ever a shortcut: one that cannot be written is a full load next time
  }
  return project;
}

/** Removes the oldest-written records past MAX_RECORDS (only on a miss: a warm load lists nothing). */
function pruneRecords(dir: string): void {
  const names = readdirSync(dir).filter((n) => RECORD_NAME.test(n));
  if (names.length <= MAX_RECORDS) return;
  const written = (n: string): number => statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const byAge = names.map((n) => [written(n), n] as const).sort((a, b) => a[0] - b[0]);
  for (const [, n] of byAge.slice(0, names.length - MAX_RECORDS)) rmSync(join(dir, n), { force: true });
}

/**
 * The record's file: one per project, options and gantry code file (exec's and down's bundles keep their own).
 * The code file's state is in the key, not in the name, so a rebuilt or upgraded gantry rewrites the same
 * file instead of adding one per build.
 */
function recordSlot(lo: LoadOptions): string {
  const { files, projectName, projectDirectory, envFiles, profiles, enableServices, interpolate } = lo;
  return JSON.stringify([
    RECORD_REVISION,
    resolve(lo.workingDir),
    { files, projectName, projectDirectory, envFiles, profiles, enableServices, interpolate },
    fileURLToPath(import.meta.url),
  ]);
}

function recordKey(slot: string): string {
  return JSON.stringify([slot, fileState(fileURLToPath(import.meta.url))]);
}

function readRecord(file: string, key: string, env: Env): Project | undefined {
  let record: ProjectRecord;
  try {
    record = JSON.parse(readFileSync(file, 'latin1')) as ProjectRecord;
  } catch {
    return undefined;
  }
  if (record.key !== key) return undefined;
  for (const [name, seen] of Object.entries(record.variables)) if (valueHash(env[name]) !== seen) return undefined;
  for (const name of Object.keys(env)) if (name.startsWith('COMPOSE_') && !(name in record.variables)) return undefined;
  for (const [path, seen] of record.files) if (fileState(path) !== seen) return undefined;
  const name = String(record.project.name);
  // As load-raw.ts: the .env files overlaid by the process environment, the project's name added.
  const environment = { ...overlay(record.fileEnvironment, env), COMPOSE_PROJECT_NAME: name };
  return deepFreeze({ ...record.project, environment } as unknown as Project);
}

function recordOf(
  key: string,
  notes: InputNotes,
  env: Env,
  fileEnvironment: Readonly<Record<string, string>>,
  project: Project,
): ProjectRecord | undefined {
  if (notes.unrecordable) return undefined;
  const files = [...notes.files];
  const newest = BigInt(Date.now() - Number(RACY_MS)) * 1_000_000n;
  for (const [, state] of files) {
    const [, , , , mtime, ctime] = state.split(':');
    if (mtime !== undefined && ctime !== undefined && (BigInt(mtime) >= newest || BigInt(ctime) >= newest))
      return undefined;
  }
  const names = new Set([
    ...notes.words,
    ...NAMED_VARIABLES,
    ...Object.keys(env).filter((n) => n.startsWith('COMPOSE_')),
  ]);
  const variables: Record<string, string | null> = {};
  for (const n of names) variables[n] = valueHash(env[n]);
  const model = { ...project, environment: null };
  // Only a model that JSON carries unchanged (no undefined member, Map or NaN) is recorded. node:util on
  // a miss only: a warm exec never needs it.
  const same = process.getBuiltinModule('node:util').isDeepStrictEqual;
  if (!same(JSON.parse(JSON.stringify(model)), model)) return undefined;
  return { key, files, variables, fileEnvironment, project: model };
}

const valueHash = (v: string | undefined): string | null => (v === undefined ? null : hash(v));

/** 64 bits of two FNV-1a passes: a record's file name and a value's fingerprint (no secret is kept). */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}
