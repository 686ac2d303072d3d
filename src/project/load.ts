// Reads one compose file into plain data, once: YAML 1.2 with `<<` merge keys, Compose's
// YAML 1.1-style octal (`0440` → 288, as go-yaml reads file modes), duplicate keys rejected,
// alias expansion bounded, `!reset` / `!override` recorded, and every value's position kept.
import { Composer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq, isPair, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair, Tags, ScalarTag } from 'yaml';
import { ConfigError, type SourcePosition } from '../common/errors.ts';
import { formatKeyPath, type KeyPath } from './raw.ts';
import { movePos, setKeyPos, setPos } from './positions.ts';
import { MAX_NESTING, tooDeepAt } from './yaml-depth.ts';
import { MAX_ALIAS_NODES, MAX_FILE_BYTES, type Layer } from './layer.ts';

export { MAX_ALIAS_NODES, MAX_FILE_BYTES, type Layer } from './layer.ts';

// go-yaml (and so Docker Compose) reads a leading-zero integer as octal: `mode: 0440` is 288.
const legacyOctal: ScalarTag = {
  identify: (v) => typeof v === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^0[0-7]+$/,
  resolve: (s) => parseInt(s, 8),
};
const customTags = (tags: Tags): Tags => [legacyOctal, ...tags];
const RESET = Symbol('reset');

interface Ctx {
  readonly file: string;
  readonly lc: LineCounter;
  readonly anchors: Map<string, { readonly start: number; readonly node: unknown }[]>;
  readonly clears: KeyPath[];
  aliasDepth: number;
  aliasNodes: number;
  /** The collections being converted: an alias to one of them is a cycle (`&a {<<: *a}`). */
  readonly open: Set<unknown>;
}

/** Parses compose YAML text into layers (one per `---` document; empty documents are skipped). */
export function parseComposeYaml(text: string, file: string): Layer[] {
  if (text.length > MAX_FILE_BYTES) {
    throw new ConfigError(`${file}: file is too large (${text.length} bytes, limit ${MAX_FILE_BYTES})`);
  }
  const lc = new LineCounter();
  const tokens = [...new Parser(lc.addNewLine).parse(text)];
  const deep = tooDeepAt(tokens);
  if (deep !== undefined)
    throw new ConfigError(`nested more than ${MAX_NESTING} levels deep`, { position: at(file, lc, deep) });
  const docs = new Composer({ merge: true, uniqueKeys: false, customTags }).compose(tokens);
  const layers: Layer[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new ConfigError(firstLine(err.message), { position: at(file, lc, err.pos[0]) });
    if (doc.contents === null) continue;
    const ctx: Ctx = { file, lc, anchors: anchorsOf(doc), clears: [], aliasDepth: 0, aliasNodes: 0, open: new Set() };
    const data = convert(doc.contents, [], ctx);
    if (data === null || data === RESET) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigError('top-level object must be a mapping', { position: nodePos(doc.contents, ctx) });
    }
    const start = nodePos(doc.contents, ctx) ?? { file, line: 1, col: 1 };
    layers.push({ file, data: data as Record<string, unknown>, clears: ctx.clears, start });
  }
  return layers;
}

function firstLine(msg: string): string {
  return msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function at(file: string, lc: LineCounter, offset: number): SourcePosition {
  const { line, col } = lc.linePos(offset);
  return { file, line, col };
}

function nodePos(node: unknown, ctx: Ctx): SourcePosition | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? at(ctx.file, ctx.lc, range[0]) : undefined;
}

// yaml's Alias.resolve searches the whole document on each call (quadratic for files with many
// `<<: *common`), so anchors are indexed once: an alias refers to the latest anchor before it.
function anchorsOf(doc: Document): Ctx['anchors'] {
  const anchors: Ctx['anchors'] = new Map();
  visit(doc, (_key, node) => {
    // A pair with an empty key or value (`{a: , : b}`) is visited as null.
    const anchor = (node as { anchor?: string } | null)?.anchor;
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (anchor && range) {
      const list = anchors.get(anchor) ?? [];
      list.push({ start: range[0], node });
      anchors.set(anchor, list);
    }
  });
  return anchors;
}

function resolveAlias(alias: { source: string; range?: [number, number, number] | null }, ctx: Ctx): unknown {
  const at = alias.range?.[0] ?? Infinity;
  const list = ctx.anchors.get(alias.source) ?? [];
  let found: unknown;
  for (const a of list) if (a.start < at) found = a.node;
  return found;
}

function convert(node: unknown, path: KeyPath, ctx: Ctx): unknown {
  if (ctx.aliasDepth > 0 && ++ctx.aliasNodes > MAX_ALIAS_NODES) {
    throw new ConfigError(
      `document contains excessive aliasing (more than ${MAX_ALIAS_NODES} nodes expanded from aliases)`,
      {
        position: nodePos(node, ctx),
      },
    );
  }
  // Aliases nest too: a chain of anchors, each wrapping the previous one, is deep only once expanded.
  if (path.length > MAX_NESTING)
    throw new ConfigError(`nested more than ${MAX_NESTING} levels deep`, { position: nodePos(node, ctx) });
  if (isAlias(node)) {
    const target = resolveAlias(node, ctx);
    if (!target) throw new ConfigError(`unknown anchor "${node.source}"`, { position: nodePos(node, ctx) });
    // go-yaml (so Compose) refuses this by name; expanding it would only hit the size limits.
    if (ctx.open.has(target))
      throw new ConfigError(`cycle through anchor "${node.source}": its value contains itself`, {
        position: nodePos(node, ctx),
      });
    ctx.aliasDepth++;
    try {
      return convert(target, path, ctx);
    } finally {
      ctx.aliasDepth--;
    }
  }
  const tag = (node as { tag?: string } | null)?.tag;
  if (tag === '!reset' || tag === '!override') {
    ctx.clears.push(path);
    if (tag === '!reset') return RESET;
  }
  if (isScalar(node)) return typeof node.value === 'bigint' ? Number(node.value) : node.value;
  if (!isSeq(node) && !isMap(node)) return null;
  ctx.open.add(node);
  try {
    return isSeq(node) ? convertSeq(node.items, path, ctx) : convertMap(node.items as Pair[], path, ctx);
  } finally {
    ctx.open.delete(node);
  }
}

function convertSeq(items: readonly unknown[], path: KeyPath, ctx: Ctx): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const v = convert(item, [...path, out.length], ctx);
    if (v === RESET) continue;
    setPos(out, out.length, nodePos(item, ctx));
    out.push(v);
  }
  return out;
}

function convertMap(pairs: readonly Pair[], path: KeyPath, ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const merges: unknown[] = [];
  const seen = new Map<string, SourcePosition | undefined>();
  for (const pair of pairs) {
    if (!isPair(pair)) continue;
    if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
      merges.push(pair.value);
      continue;
    }
    const key = keyString(pair.key, path, ctx);
    const keyPos = nodePos(pair.key, ctx);
    if (seen.has(key)) {
      const first = seen.get(key);
      throw new ConfigError(`mapping key "${key}" already defined${first ? ` at line ${first.line}` : ''}`, {
        position: keyPos,
      });
    }
    seen.set(key, keyPos);
    const v = convert(pair.value, [...path, key], ctx);
    if (v === RESET) continue;
    out[key] = v;
    setPos(out, key, isScalar(pair.value) ? (nodePos(pair.value, ctx) ?? keyPos) : keyPos);
    if (isScalar(pair.value)) setKeyPos(out, key, keyPos);
  }
  for (const m of merges) applyMerge(out, m, path, ctx, seen);
  return out;
}

// `<<: *a` or `<<: [*a, *b]`: keys written in the map win, then earlier merge sources win.
function applyMerge(
  out: Record<string, unknown>,
  source: unknown,
  path: KeyPath,
  ctx: Ctx,
  seen: Map<string, unknown>,
): void {
  const sources = isSeq(source) ? source.items : [source];
  for (const s of sources) {
    const target = isAlias(s) ? resolveAlias(s, ctx) : s;
    if (!isMap(target)) throw new ConfigError('merge key "<<" must refer to a mapping', { position: nodePos(s, ctx) });
    const merged = convert(s, path, ctx) as Record<string, unknown>;
    for (const [k, v] of Object.entries(merged)) {
      if (seen.has(k)) continue;
      seen.set(k, undefined);
      out[k] = v;
      movePos(merged, k, out, k);
    }
  }
}

// As Compose (go-yaml keeps `1:`, `true:` and `~:` keys typed, and compose-go refuses them).
function keyString(key: unknown, path: KeyPath, ctx: Ctx): string {
  if (isScalar(key)) {
    if (typeof key.value === 'string') return key.value;
    const where = path.length === 0 ? 'at top level' : `in ${formatKeyPath(path)}`;
    throw new ConfigError(`non-string key ${where}: ${key.source ?? String(key.value)}`, {
      position: nodePos(key, ctx),
    });
  }
  if (key === null || key === undefined) return '';
  throw new ConfigError('mapping keys must be strings', { position: nodePos(key as YamlNode, ctx) });
}
