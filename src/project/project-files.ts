// Loads a set of compose files into one document: per file (and per YAML document in it)
// parse → interpolate → drop `version` → include → extends; then `!reset`/`!override` clear
// what earlier files set, the file is merged on top, and finally unique-keyed sequences are
// de-duplicated.
import type { Layer } from './layer.ts';
import { readLayers, type LoadContext } from './load-context.ts';
import { applyInclude } from './include.ts';
import { applyExtends } from './extends.ts';
import { mergeDocs, withoutPath } from './merge.ts';
import { enforceUnique } from './unique.ts';
import type { Dict } from './merge-forms.ts';
import { movePos } from './positions.ts';

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
  const included = applyInclude(withoutVersion(layer, ctx), ctx, loadFiles);
  return applyExtends(included, layer, ctx);
}

// `version` is accepted for old files and ignored, with Compose's warning naming the file.
function withoutVersion(layer: Layer, ctx: LoadContext): Dict {
  if (!Object.hasOwn(layer.data, 'version')) return layer.data;
  ctx.warnings.add(
    `${layer.file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
  );
  const out: Dict = {};
  for (const k of Object.keys(layer.data)) {
    if (k === 'version') continue;
    out[k] = layer.data[k];
    movePos(layer.data, k, out, k);
  }
  return out;
}
