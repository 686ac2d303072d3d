// A bundle's rare lazy imports in files of their own. esbuild's CommonJS output has no code splitting:
// a module reached by `await import()` is read, copied and code-cached on every start of the bundle
// even when the import never runs. A part named here is instead bundled into dist/<file> and the lazy
// import resolves to a one-line module that requires that file when the import runs. Used by the down
// bundle (scripts/bundle-cli.mjs): a down pulls, pushes, saves, loads no image, reaps a killed build's
// RUN container only after a crash, and draws listr2's live view only on a terminal; those parts were
// 0.40 MB of its 1.10 MB (bench/RESULTS.md, "Issue 20, down11").
// A part has its own copy of the modules it shares with the bundle: its error classes are not the
// bundle's. Only code whose errors the bundle does not tell apart by class may go apart.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * parts: [{ file, imports: [{ importer, path, as }] }], `importer` relative to dist/, `path` as the
 * lazy import spells it, `as` the name the part exports it under. Returns the esbuild plugin and
 * `emit(bundle)`, which bundles each part with the caller's bundle(entry, outfile, plugins, options).
 */
export function apart(dist, parts) {
  const byImport = new Map();
  for (const part of parts)
    for (const i of part.imports) byImport.set(`${join(dist, i.importer)}\0${i.path}`, { file: part.file, as: i.as });
  const plugin = {
    name: 'apart',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const hit = args.kind === 'dynamic-import' && byImport.get(`${args.importer}\0${args.path}`);
        return hit ? { path: `${hit.file}#${hit.as}`, namespace: 'apart' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'apart' }, (args) => {
        const [file, as] = args.path.split('#');
        // `__dirname` is the bundle's (dist/): cached-script.cjs runs it as a module of that file.
        return { contents: `module.exports = require(__dirname + ${JSON.stringify(`/${file}`)}).${as};`, loader: 'js' };
      });
    },
  };
  async function emit(bundle) {
    for (const part of parts) {
      const entry = join(dist, 'apart', part.file.replace(/\.cjs$/, '.js'));
      mkdirSync(dirname(entry), { recursive: true });
      const lines = part.imports.map(
        (i) =>
          `export * as ${i.as} from ${JSON.stringify(`./${relative(dirname(entry), join(dist, dirname(i.importer), i.path))}`)};`,
      );
      writeFileSync(entry, `${lines.join('\n')}\n`);
      await bundle(entry, join(dist, part.file), [], { compact: true });
      rmSync(dirname(entry), { recursive: true, force: true }); // the entry is the build's scratch: not shipped
    }
  }
  return { plugin, emit };
}
