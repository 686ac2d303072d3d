// Parts of a bundle kept in files of their own, read only when the program first imports them (issue 20:
// a warm `up -d` read and copied the source of image pull/save, build, watch and the live view at every
// start, ≈ 0.7 of its 1.9 MB, and ran none of it; a down read 0.40 of its 1.10 MB in image transfers,
// a killed build's leftovers and the live view; bench/RESULTS.md, "Issue 20, up11" and "down11").
// A part is one or more modules the bundle reaches only through dynamic imports (a static one would load
// it at start: the build fails). esbuild's code splitting needs ESM output, which the CommonJS bundles run
// by bin/cached-script.cjs are not, so this splits by hand, in three builds:
//  1. the bundle with each part's modules replaced by empty ones: what stays (its metafile's inputs);
//  2. each part bundled alone (DIST/<stem>-<part>.cjs); an import of a module that stays is not bundled
//     again but taken from the main bundle's instance (one class per error, one memo, one pool);
//  3. the bundle, each part's modules replaced by doors to the part's loader: it requires the modules that
//     part takes from the bundle, hands them over on a global, and runs the part's file through
//     cached-script (the part's code cache, when the build recorded one beside it), once.
// A module reached only from a part goes in that part; one reached from two parts would exist twice,
// so the build refuses gantry modules shared that way (packages are stateless enough to copy).
import { readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

const SHARED = "Symbol.for('gantry.apart.shared')";
const APART = 'gantry-apart';
const LOADER = `${APART}-loader:`; // a part's loader, required by the doors of a part of several modules

/**
 * The plugin that replaces each part's modules (those its `match` takes) in the main bundle: `probe`
 * records them (part.paths), the final build finds them there and writes `contents(part, index)`.
 */
function replaceParts(parts, contents, cachedScript, probe) {
  return {
    name: 'apart-parts',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.path === cachedScript) return { path: cachedScript, external: true };
        if (args.path.startsWith(LOADER)) return { path: args.path.slice(LOADER.length), namespace: LOADER };
        if (args.pluginData === APART || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: APART });
        const part = parts.find((p) => p.match.test(r.path));
        if (!part) return undefined;
        if (args.kind !== 'dynamic-import')
          throw new Error(`${args.importer}: imports ${part.name}'s part statically: it would load at start`);
        part.paths ??= [];
        if (probe && !part.paths.includes(r.path)) part.paths.push(r.path);
        const index = part.paths.indexOf(r.path);
        if (index < 0) throw new Error(`${part.name}: ${r.path} was not in the first build`);
        return { path: `${part.name}#${index}`, namespace: APART };
      });
      b.onLoad({ filter: /.*/, namespace: APART }, (args) => {
        const [name, index] = args.path.split('#');
        const part = parts.find((p) => p.name === name);
        return { contents: contents(part, Number(index)), loader: 'js', resolveDir: process.cwd() };
      });
      b.onLoad({ filter: /.*/, namespace: LOADER }, (args) => ({
        contents: loader(
          parts.find((p) => p.name === args.path),
          cachedScript,
        ),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

/**
 * The plugin of a part's own bundle: modules in `kept` come from the main bundle's instances, or only
 * those `takes` matches when given (the part holds copies of the rest).
 */
function takeKept(kept, taken, takes) {
  return {
    name: 'apart-take-kept',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === APART || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: APART });
        if (!kept.has(r.path) || (takes && !takes.test(r.path))) return undefined;
        taken.add(r.path);
        return { path: relative(process.cwd(), r.path), namespace: `${APART}-kept` };
      });
      b.onLoad({ filter: /.*/, namespace: `${APART}-kept` }, (args) => ({
        contents: `module.exports = globalThis[${SHARED}][${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** The entry of a part of several modules: each module's namespace as `m<index>`. */
function partEntry(part) {
  return {
    name: 'apart-entry',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${APART}-entry$`) }, () => ({ path: part.name, namespace: `${APART}-entry` }));
      b.onLoad({ filter: /.*/, namespace: `${APART}-entry` }, () => ({
        contents: part.paths.map((p, i) => `export * as m${i} from ${JSON.stringify(p)};`).join('\n'),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

// Files of parts that serve several bundles (`file` given), each with the entry of the first bundle built.
const sharedFiles = new Map();

/**
 * Bundles `entry` to `outfile` with `parts` apart: { name, match: a RegExp of the paths of its modules,
 * file?, takes? }, each in `<outfile's stem>-<name>.cjs`, or in `file` when bundles share it: each bundle's
 * build of it must be the same bytes (it then takes the same modules from each). `takes`, a RegExp: only
 * the kept modules it matches come from the bundle, the part holding copies of the others (modules that
 * hold no state): a module taken keeps all its exports in the bundle, where tree-shaking dropped the
 * unused ones (the project loader taking 26 modules grew the exec/run bundle 371 → 420 kB). `bundle(entry, outfile,
 * plugins)` is the build's own bundler, returning the metafile; `cachedScript` is the import path of
 * bin/cached-script.cjs from the bundle; `alsoKept`, the absolute paths of modules two parts share that
 * stay in the bundle, to exist once. Returns the parts' files.
 */
export async function bundleWithParts(entry, outfile, given, bundle, cachedScript, alsoKept = []) {
  const parts = given.map((p) => ({ ...p })); // each build records its own paths, takings and files
  const probe = await bundle(entry, outfile, [replaceParts(parts, () => '', cachedScript, true)]);
  const cwd = process.cwd();
  const kept = new Set(Object.keys(probe.inputs).map((f) => resolve(cwd, f.replace(/^[a-z-]+:/, ''))));
  for (const path of alsoKept) kept.add(path);
  const owner = new Map();
  for (const part of parts) {
    if (!part.paths) throw new Error(`${part.name}: no dynamic import of ${part.match} in ${entry}`);
    part.out = join(dirname(outfile), part.file ?? `${basename(outfile, '.cjs')}-${part.name}.cjs`);
    const inputs = await bundlePart(part, kept, bundle, entry);
    for (const input of inputs) {
      const was = owner.get(input);
      if (was && /^dist[\\/]/.test(input))
        throw new Error(`${input} is in two parts apart (${was}, ${part.name}): it would exist twice`);
      owner.set(input, part.name);
    }
  }
  await bundle(entry, outfile, [replaceParts(parts, door(cachedScript), cachedScript, false)]);
  return parts.map((p) => p.out);
}

/** Bundles a part alone (part.taken: what it takes from the bundle); the inputs bundled. */
async function bundlePart(part, kept, bundle, entry) {
  part.paths.sort(); // resolves run in parallel: the same build, the same files
  const again = part.file && sharedFiles.get(part.out);
  const out = again ? `${part.out}.again` : part.out;
  const taken = new Set();
  const meta = await (part.paths.length === 1
    ? bundle(part.paths[0], out, [takeKept(kept, taken, part.takes)])
    : bundle(`${APART}-entry`, out, [partEntry(part), takeKept(kept, taken, part.takes)]));
  part.taken = [...taken].sort(); // as the paths: the loader hands them over in one order every build
  if (again) {
    const same = readFileSync(out, 'latin1') === readFileSync(part.out, 'latin1');
    rmSync(out);
    if (!same) throw new Error(`${part.file}: ${entry}'s build differs from ${again}'s: it cannot serve both`);
  } else if (part.file) sharedFiles.set(part.out, entry);
  return Object.keys(meta.inputs);
}

/** A part's module in the main bundle: the part's loader itself, or its export of that module. */
function door(cachedScript) {
  return (part, index) =>
    part.paths.length === 1
      ? loader(part, cachedScript)
      : `module.exports = require(${JSON.stringify(LOADER + part.name)}).m${index};`;
}

/** A part's loader: hand over what the part takes, then run its file (once: esbuild's require memo). */
function loader(part, cachedScript) {
  return [
    `const shared = (globalThis[${SHARED}] ??= {});`,
    ...part.taken.map((p) => `shared[${JSON.stringify(relative(process.cwd(), p))}] = require(${JSON.stringify(p)});`),
    `module.exports = require(${JSON.stringify(cachedScript)}).runCached(`,
    `  require('node:path').join(__dirname, ${JSON.stringify(basename(part.out))}));`,
  ].join('\n');
}
