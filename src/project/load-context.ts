// What every loading stage shares for one project (or one included sub-project): its
// directory, the variables for interpolation, options, warnings, and a parse cache.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../common/errors.ts';
import type { TemplateEnv } from './template.ts';
import { parseComposeYaml, type Layer } from './load.ts';
import { interpolateTree } from './interpolate.ts';

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
  readonly stdinText: string | undefined;
  /** Parsed and interpolated layers per file, for this context's environment. */
  readonly cache: Map<string, Layer[]>;
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
  const cached = ctx.cache.get(file);
  if (cached) return cached;
  const layers = parseComposeYaml(readText(file, ctx), file === '-' ? STDIN_NAME : file);
  if (ctx.interpolate) {
    const env = templateEnv(ctx);
    for (const layer of layers) interpolateTree(layer.data, env, layer.start);
  }
  ctx.cache.set(file, layers);
  return layers;
}

function readText(file: string, ctx: LoadContext): string {
  if (file === '-') return ctx.stdinText ?? '';
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `compose file ${file} not found` : `cannot read compose file ${file}: ${code ?? String(e)}`);
  }
}
