// Top-level `include`: each entry is loaded as its own project — its own project directory
// (default: the first included file's directory) and env file (default: `.env` there), with
// the including project's variables taking precedence — then its resources are copied in. A
// resource defined both here and in the included project is a conflict, unless identical.
import { dirname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError } from '../common/errors.ts';
import { formatKeyPath } from './raw.ts';
import { getPos, movePos, setPos } from './positions.ts';
import { cloneData, isDict, type Dict } from './merge-forms.ts';
import { absolutizeDocument } from './paths.ts';
import { envFilesFor, overlay, readEnvFiles } from './env.ts';
import type { LoadContext } from './load-context.ts';
import type { SourcePosition } from '../common/errors.ts';

const RESOURCES = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const;

export type LoadFiles = (files: readonly string[], ctx: LoadContext) => Dict;

interface Entry {
  readonly paths: string[];
  readonly projectDirectory: string | undefined;
  readonly envFiles: string[];
  readonly pos: SourcePosition | undefined;
}

/** Returns `data` without `include`, with the included projects' resources added. */
export function applyInclude(data: Dict, ctx: LoadContext, load: LoadFiles): Dict {
  const list = data.include;
  if (list === undefined || list === null) return data;
  if (!Array.isArray(list))
    throw new ConfigError('include must be a list', { position: getPos(data, 'include'), keyPath: 'include' });
  let out: Dict = {};
  for (const k of Object.keys(data)) {
    if (k === 'include') continue;
    out[k] = data[k];
    movePos(data, k, out, k);
  }
  list.forEach((raw, i) => {
    const entry = parseEntry(raw, ctx.projectDir, getPos(list, i), i);
    out = importProject(out, loadEntry(entry, ctx, load), entry);
  });
  return out;
}

function parseEntry(raw: unknown, base: string, pos: SourcePosition | undefined, i: number): Entry {
  const list = (v: unknown): string[] =>
    v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map((p) => resolve(base, String(p)));
  if (typeof raw === 'string') return { paths: list(raw), projectDirectory: undefined, envFiles: [], pos };
  if (isDict(raw) && raw.path !== undefined) {
    const dir = typeof raw.project_directory === 'string' ? resolve(base, raw.project_directory) : undefined;
    const paths = list(raw.path);
    // Loaded before the schema check: an empty list would have no file to take a directory from.
    if (paths.length === 0)
      throw new ConfigError('include path must name at least one file', {
        position: pos,
        keyPath: `include[${i}].path`,
      });
    return { paths, projectDirectory: dir, envFiles: list(raw.env_file), pos };
  }
  throw new ConfigError('include entries must be a path or a mapping with "path"', {
    position: pos,
    keyPath: `include[${i}]`,
  });
}

function loadEntry(entry: Entry, ctx: LoadContext, load: LoadFiles): Dict {
  for (const p of entry.paths) {
    if (ctx.includeStack.includes(p)) {
      throw new ConfigError(`include cycle: ${[...ctx.includeStack, p].join(' -> ')}`, {
        position: entry.pos,
        keyPath: 'include',
      });
    }
  }
  const projectDir = entry.projectDirectory ?? dirname(entry.paths[0]!);
  const { files, required } = envFilesFor(entry.envFiles, projectDir, projectDir);
  const env = overlay(readEnvFiles(files, ctx.env, required), ctx.env);
  const child: LoadContext = {
    ...ctx,
    projectDir,
    env,
    includeStack: [...ctx.includeStack, ...entry.paths],
    cache: new Map(),
    includeProjectDir: entry.projectDirectory, // not inherited by a nested include
  };
  try {
    const doc = cloneData(load(entry.paths, child));
    absolutizeDocument(doc, projectDir);
    return doc;
  } catch (e) {
    if (e instanceof ConfigError && e.position === undefined)
      throw new ConfigError(e.detail, { position: entry.pos, keyPath: 'include' });
    throw e;
  }
}

function importProject(target: Dict, imported: Dict, entry: Entry): Dict {
  const out: Dict = { ...target };
  for (const k of Object.keys(target)) movePos(target, k, out, k);
  for (const kind of RESOURCES) {
    const from = imported[kind];
    if (!isDict(from)) continue;
    const own = isDict(target[kind]) ? (target[kind] as Dict) : {};
    const merged: Dict = { ...own };
    for (const k of Object.keys(own)) movePos(own, k, merged, k);
    for (const [name, def] of Object.entries(from)) {
      if (Object.hasOwn(own, name) && !isDeepStrictEqual(own[name], def)) {
        throw new ConfigError(`conflicts with imported resource (from ${entry.paths.join(', ')})`, {
          position: getPos(own, name),
          keyPath: formatKeyPath([kind, name]),
        });
      }
      merged[name] = def;
      movePos(from, name, merged, name);
    }
    out[kind] = merged;
    if (!getPos(out, kind)) setPos(out, kind, getPos(imported, kind));
  }
  return out;
}
