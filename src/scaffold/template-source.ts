// Where templates come from: the built-in ones in the package's templates/ folder (one folder
// each; `_shared/` holds partials every template may include) or a local folder given as
// --template ./path. A template is read whole into memory, so rendering touches no file system
// and a local template can include nothing outside itself and _shared/.
import { lstatSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../common/errors.ts';
import { packagePath } from '../common/package-root.ts';
import { parseManifest, type Manifest } from './manifest.ts';

export const MANIFEST = 'template.yaml';
const SHARED = '_shared';
const MAX_FILES = 200;
const MAX_BYTES = 1 << 20;

export interface TemplateFile {
  readonly text: string;
  /** Named `*.liquid`: rendered (and written without the suffix); any other file is copied as it is. */
  readonly render: boolean;
}

export interface Template {
  readonly name: string;
  readonly dir: string;
  readonly manifest: Manifest;
  /** Output path (dot- prefixes turned into dots, `.liquid` dropped) → the file. */
  readonly files: ReadonlyMap<string, TemplateFile>;
}

export const templatesDir = (): string => packagePath('templates');

/**
 * `dot-env.liquid` → `.env`: dotfiles are stored without their dot, so packing and .gitignore
 * leave them alone; the `.liquid` suffix keeps tools (and gantry's own YAML tests) from taking a
 * template for the file it makes.
 */
export const outputName = (rel: string): string =>
  stripLiquid(rel)
    .split('/')
    .map((s) => s.replace(/^dot-/, '.'))
    .join('/');
const stripLiquid = (rel: string): string => rel.replace(/\.liquid$/, '');

/** Files of `dir`, relative, sorted; symlinks refused (a template is text, never a door out of its folder). */
function readTree(dir: string, what: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      const st = lstatSync(join(dir, r));
      if (st.isSymbolicLink()) {
        throw new UsageError(`${what}: ${r} is a symbolic link; templates hold plain files only`);
      }
      if (st.isDirectory()) walk(r);
      else if (st.isFile()) {
        if (st.size > MAX_BYTES) throw new UsageError(`${what}: ${r} is larger than 1 MiB`);
        out.set(r, readFileSync(join(dir, r), 'utf8'));
        if (out.size > MAX_FILES) throw new UsageError(`${what}: more than ${MAX_FILES} files`);
      }
    }
  };
  walk('');
  return out;
}

/** Built-in template names, sorted (folders with a manifest; `_shared` is not one). */
export function builtinNames(): string[] {
  const root = templatesDir();
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && existsSync(join(root, e.name, MANIFEST)))
    .map((e) => e.name)
    .sort();
}

const isPath = (ref: string): boolean => ref.startsWith('.') || isAbsolute(ref) || ref.includes('/');

/** --template NAME (built-in) or a path (`./x`, `/x`, `a/b`) to a folder with a template.yaml. */
export function loadTemplate(ref: string, cwd: string): Template {
  const dir = isPath(ref) ? resolve(cwd, ref) : join(templatesDir(), ref);
  if (!isPath(ref) && (!/^[a-z0-9][a-z0-9-]*$/.test(ref) || !existsSync(join(dir, MANIFEST)))) {
    throw new UsageError(`unknown template "${ref}" (gantry init --list shows them; a local folder is ./path)`);
  }
  if (!existsSync(join(dir, MANIFEST))) throw new UsageError(`--template ${ref}: no ${MANIFEST} in ${dir}`);
  const tree = readTree(dir, `template ${ref}`);
  const shared = sharedPartials();
  const manifest = parseManifest(tree.get(MANIFEST) ?? '', join(dir, MANIFEST), (name) => shared.get(name));
  tree.delete(MANIFEST);
  const files = new Map<string, TemplateFile>();
  for (const [rel, text] of tree) files.set(outputName(rel), { text, render: rel.endsWith('.liquid') });
  return { name: isPath(ref) ? dir : ref, dir, manifest, files };
}

/** The files of templates/_shared, keyed `_shared/<path>` (`.liquid` dropped, as includes name them). */
export function sharedPartials(): Map<string, string> {
  const dir = join(templatesDir(), SHARED);
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const [rel, text] of readTree(dir, 'templates/_shared')) out.set(`${SHARED}/${stripLiquid(rel)}`, text);
  return out;
}
