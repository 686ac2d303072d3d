// Template text + answers → file contents, with LiquidJS. Why Liquid: it never evaluates
// JavaScript (a local --template folder is data, not code, unlike EJS/Eta), strictVariables
// turns a misspelt or missing variable into an error instead of an empty string, and it reads
// from an in-memory map, so a template can include only itself and templates/_shared.
import { Liquid } from 'liquidjs';
import { ConfigError } from '../common/errors.ts';
import type { Value } from './manifest.ts';

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
}

/** Template syntax that must never reach a written file (a placeholder that survived). */
const LEFTOVER = /\{\{|\{%|%\}|\}\}/;

/** `npm run start -- --port 3000` → `["npm","run","start","--","--port","3000"]`; quotes group words. */
export function execForm(command: string): string {
  const words: string[] = [];
  for (const m of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return JSON.stringify(words);
}

function engine(templates: Record<string, string>): Liquid {
  const liquid = new Liquid({ templates, strictVariables: true, strictFilters: true, ownPropertyOnly: true });
  liquid.registerFilter('exec_form', (v: unknown) => execForm(String(v)));
  return liquid;
}

/** Paths under a folder starting with `_` are partials: included, never written. */
export const isPartial = (path: string): boolean => path.split('/').some((s) => s.startsWith('_'));

/**
 * Renders every non-partial file. A file that renders to whitespace only is left out (how a
 * template makes a file optional: wrap it in `{% if %}`). Throws naming the template file.
 */
export async function renderFiles(
  label: string,
  files: ReadonlyMap<string, string>,
  partials: ReadonlyMap<string, string>,
  answers: Readonly<Record<string, Value>>,
): Promise<RenderedFile[]> {
  const liquid = engine(Object.fromEntries([...partials, ...files]));
  const out: RenderedFile[] = [];
  for (const [path, text] of files) {
    if (isPartial(path)) continue;
    let rendered: string;
    try {
      rendered = await liquid.parseAndRender(text, answers);
    } catch (err) {
      throw new ConfigError(`template ${label}: ${path}: ${(err as Error).message.split('\n')[0]}`);
    }
    if (rendered.trim() === '') continue;
    const left = LEFTOVER.exec(rendered);
    if (left) {
      const line = rendered.slice(0, left.index).split('\n').length;
      throw new ConfigError(`template ${label}: ${path}:${line}: "${left[0]}" survived rendering`);
    }
    out.push({ path, text: rendered.replace(/\n{3,}/g, '\n\n').replace(/\s*$/, '\n') });
  }
  return out;
}
