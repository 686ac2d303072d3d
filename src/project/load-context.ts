// What every loading stage shares for one project (or one included sub-project): its
// directory, the variables for interpolation, options, warnings, and a parse cache.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../common/errors.ts';
import type { TemplateEnv } from './template.ts';
import { MAX_FILE_BYTES, type Layer } from './layer.ts';
// The reader with positions is imported, so yaml initializes at every start: 1.2 % of a cold `config -q`
// (≈ 3–4 ms; 8 M of 625 M instructions), measured 2026-12-05 against a bundle that loaded it on first
// use, below the 5 ms a speed trick must earn (bench/RESULTS.md).
import { parseComposeYaml } from './load.ts';
import { parseComposeYamlFast } from './load-fast.ts';
import { interpolateTree, interpolateValue } from './interpolate.ts';
import { getPos } from './positions.ts';
import { noteFile, noteText } from './input-record.ts';

/** Warnings in first-seen order, each once. */
export class Warnings {
  readonly list: string[] = [];
  private readonly seen = new Set<string>();
  add(msg: string): void {
    if (this.seen.has(msg)) return;
    this.seen.add(msg);
    this.list.push(msg);
  }
}

export interface LoadContext {
  /** Base for the project's relative paths (and for `include` paths). */
  readonly projectDir: string;
  /** Variables for interpolation: env files overlaid by the shell (or the parent project). */
  readonly env: Readonly<Record<string, string>>;
  readonly interpolate: boolean;
  readonly warnings: Warnings;
  /** Files being included, outermost first (include cycles). */
  readonly includeStack: readonly string[];
  /**
   * An included project's explicit `project_directory`: as in Compose, its files' `extends.file`
   * (and the extended services' relative paths) resolve against it, not against each file's directory.
   */
  readonly includeProjectDir?: string | undefined;
  readonly stdinText: string | undefined;
  /** Read with positions (yaml) rather than fast (js-yaml); see load-fast.ts. */
  readonly precise: boolean;
  /** Parsed layers per file; `interpolated` once this context's variables were applied. */
  readonly cache: Map<string, { readonly layers: Layer[]; interpolated: boolean }>;
}

export const STDIN_NAME = '<stdin>';

export function templateEnv(ctx: LoadContext): TemplateEnv {
  return {
    lookup: (name) => ctx.env[name],
    onUnset: (name) => ctx.warnings.add(`The "${name}" variable is not set. Defaulting to a blank string.`),
  };
}

/** Parses (once per context) and interpolates the layers of one file. */
export function readLayers(file: string, ctx: LoadContext): Layer[] {
  const entry = parsed(file, ctx);
  if (ctx.interpolate && !entry.interpolated) {
    const env = templateEnv(ctx);
    for (const layer of entry.layers) interpolateTree(layer.data, env, layer.start);
  }
  entry.interpolated = true;
  return entry.layers;
}

/**
 * The top-level `name` the files set (the last one wins), interpolated, read before the full
 * load because the project name is itself a variable (COMPOSE_PROJECT_NAME) of that load.
 */
export function peekName(files: readonly string[], ctx: LoadContext): string | undefined {
  let found: string | undefined;
  for (const file of files) {
    for (const layer of parsed(file, ctx).layers) {
      const v = layer.data.name;
      if (typeof v !== 'string' || v === '') continue;
      found = ctx.interpolate ? interpolateValue(v, ['name'], templateEnv(ctx), getPos(layer.data, 'name')) : v;
    }
  }
  return found;
}

function parsed(file: string, ctx: LoadContext): { readonly layers: Layer[]; interpolated: boolean } {
  let entry = ctx.cache.get(file);
  if (!entry) {
    const text = readText(file, ctx);
    const name = file === '-' ? STDIN_NAME : file;
    const layers = (ctx.precise ? undefined : parseComposeYamlFast(text, name)) ?? parseComposeYaml(text, name);
    // As Compose: a file with nothing in it (or only comments) is a mistake, not an empty project.
    if (layers.length === 0) throw new ConfigError('empty compose file', { position: { file: name, line: 1, col: 1 } });
    entry = { layers, interpolated: false };
    ctx.cache.set(file, entry);
  }
  return entry;
}

function readText(file: string, ctx: LoadContext): string {
  if (file === '-') return ctx.stdinText ?? '';
  noteFile(file);
  try {
    // Refused before it is read: a 200 MB file would otherwise take seconds to be rejected.
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES)
      throw new ConfigError(`${file}: file is too large (${size} bytes, limit ${MAX_FILE_BYTES})`);
    const text = readFileSync(file, 'utf8');
    noteText(text);
    return text;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `compose file ${file} not found` : `cannot read compose file ${file}: ${code ?? String(e)}`,
    );
  }
}
