// Loads a set of compose files into one document: per file (and per YAML document in it)
// parse → interpolate → include → extends, then `!reset`/`!override` clear what earlier files
// set, the file is merged on top, and finally unique-keyed sequences are de-duplicated.
import type { Layer } from './load.ts';
import { readLayers, type LoadContext } from './load-context.ts';
import { applyInclude } from './include.ts';
import { applyExtends } from './extends.ts';
import { mergeDocs, withoutPath } from './merge.ts';
import { enforceUnique } from './unique.ts';
import type { Dict } from './merge-forms.ts';

export function loadFiles(files: readonly string[], ctx: LoadContext): Dict {
  let acc: Dict = {};
  for (const file of files) {
    for (const layer of readLayers(file, ctx)) {
      const data = processLayer(layer, ctx);
      for (const p of layer.clears) acc = withoutPath(acc, p);
      acc = mergeDocs(acc, data);
    }
  }
  return enforceUnique(acc);
}

function processLayer(layer: Layer, ctx: LoadContext): Dict {
  const included = applyInclude(layer.data, ctx, loadFiles);
  return applyExtends(included, layer, ctx);
}
