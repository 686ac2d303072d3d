// Parts of a bundle kept in files of their own, read only when the program first imports them (issue 20:
// a warm `up -d` read and copied the source of image pull/save, build, watch and the live view at every
// start, ≈ 0.7 of its 1.9 MB, and ran none of it; bench/RESULTS.md, "Issue 20, up11").
// A part is a module the bundle reaches only through dynamic imports (a static one would load it at
// start: the build fails). esbuild's code splitting needs ESM output, which the CommonJS bundles run by
// bin/cached-script.cjs are not, so this splits by hand, in three builds:
//  1. the bundle with each part's module replaced by an empty one: what stays (its metafile's inputs);
//  2. each part bundled alone (DIST/<stem>-<part>.cjs); an import of a module that stays is not bundled
//     again but taken from the main bundle's instance (one class per error, one memo, one pool);
//  3. the bundle, each part's module replaced by its door: it requires the modules that part takes from
//     the bundle, hands them over on a global, and runs the part's file through cached-script (the part's
//     code cache, when the build recorded one beside it).
// A module reached only from a part goes in that part; one reached from two parts would exist twice,
// so the build refuses gantry modules shared that way (packages are stateless enough to copy).
import { basename, dirname, join, relative, resolve } from 'node:path';

const SHARED = "Symbol.for('gantry.apart.shared')";
const APART = 'gantry-apart';

/** The plugin that replaces each part's module (the first whose path its `match` takes) in the main bundle. */
function replaceParts(parts, contents, cachedScript) {
  return {
    name: 'apart-parts',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.path === cachedScript) return { path: cachedScript, external: true };
        if (args.pluginData === APART || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: APART });
        const part = parts.find((p) => p.match.test(r.path));
        if (!part) return undefined;
        if (args.kind !== 'dynamic-import')
          throw new Error(`${args.importer}: imports ${part.name}'s part statically: it would load at start`);
        if ((part.path ??= r.path) !== r.path) throw new Error(`${part.name}: two modules (${part.path}, ${r.path})`);
        return { path: part.name, namespace: APART };
      });
      b.onLoad({ filter: /.*/, namespace: APART }, (args) => ({
        contents: contents(parts.find((p) => p.name === args.path)),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}

/** The plugin of a part's own bundle: modules in `kept` come from the main bundle's instances. */
function takeKept(kept, taken) {
  return {
    name: 'apart-take-kept',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === APART || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: APART });
        if (!kept.has(r.path)) return undefined;
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

/**
 * Bundles `entry` to `outfile` with `parts` ({ name, match: a RegExp of the module's path }) apart, each in
 * `<outfile's stem>-<name>.cjs`. `bundle(entry, outfile, plugins)` is the build's own bundler, returning
 * the metafile; `cachedScript` is the import path of bin/cached-script.cjs from the bundle. Returns the
 * parts' files.
 */
export async function bundleWithParts(entry, outfile, parts, bundle, cachedScript) {
  const probe = await bundle(entry, outfile, [replaceParts(parts, () => '', cachedScript)]);
  const cwd = process.cwd();
  const kept = new Set(Object.keys(probe.inputs).map((f) => resolve(cwd, f.replace(/^[a-z-]+:/, ''))));
  const owner = new Map();
  const files = [];
  for (const part of parts) {
    if (!part.path) throw new Error(`${part.name}: no dynamic import of ${part.match} in ${entry}`);
    const file = join(dirname(outfile), `${basename(outfile, '.cjs')}-${part.name}.cjs`);
    const taken = new Set();
    const meta = await bundle(part.path, file, [takeKept(kept, taken)]);
    for (const input of Object.keys(meta.inputs)) {
      const was = owner.get(input);
      if (was && /^dist[\\/]/.test(input))
        throw new Error(`${input} is in two parts apart (${was}, ${part.name}): it would exist twice`);
      owner.set(input, part.name);
    }
    part.taken = [...taken];
    part.file = file;
    files.push(file);
  }
  await bundle(entry, outfile, [replaceParts(parts, door(cachedScript), cachedScript)]);
  return files;
}

/** A part's door in the main bundle: hand over what the part takes, then run its file. */
function door(cachedScript) {
  return (part) =>
    [
      `const shared = (globalThis[${SHARED}] ??= {});`,
      ...part.taken.map(
        (p) => `shared[${JSON.stringify(relative(process.cwd(), p))}] = require(${JSON.stringify(p)});`,
      ),
      `module.exports = require(${JSON.stringify(cachedScript)}).runCached(`,
      `  require('node:path').join(__dirname, ${JSON.stringify(basename(part.file))}));`,
    ].join('\n');
}
