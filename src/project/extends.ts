// `extends`: a service starts from another service — in the same file or in another file
// (relative to the extending file) — and its own attributes are merged on top by the merge
// rules. Chains resolve depth-first; a cycle is an error naming the chain. A base taken from
// another file gets absolute paths, so they keep pointing into that file's directory.
import { dirname, relative, resolve } from 'node:path';
import { ConfigError } from '../common/errors.ts';
import { formatKeyPath, type KeyPath } from './raw.ts';
import { getPos, movePos } from './positions.ts';
import { cloneData, isDict, type Dict } from './merge-forms.ts';
import { mergeDocs, withoutPath } from './merge.ts';
import { absolutizeService } from './paths.ts';
import { readLayers, STDIN_NAME, type LoadContext } from './load-context.ts';
import type { Layer } from './layer.ts';

interface Frame {
  readonly file: string;
  readonly name: string;
}

/** Returns `data` with every service's `extends` resolved (a new document when any was). */
export function applyExtends(data: Dict, layer: Layer, ctx: LoadContext): Dict {
  const services = data.services;
  if (!isDict(services) || !Object.values(services).some((s) => isDict(s) && s.extends !== undefined)) return data;
  const r = new Resolver(ctx, layer);
  const out: Dict = {};
  for (const name of Object.keys(services)) {
    out[name] = r.resolve(layer.file, services, name, []);
    movePos(services, name, out, name);
  }
  const doc: Dict = { ...data, services: out };
  for (const k of Object.keys(data)) movePos(data, k, doc, k);
  return doc;
}

class Resolver {
  private readonly done = new Map<string, unknown>();
  constructor(
    private readonly ctx: LoadContext,
    private readonly layer: Layer,
  ) {}

  resolve(file: string, services: Dict, name: string, stack: readonly Frame[]): unknown {
    const svc = services[name];
    const id = `${file}\0${name}`;
    if (!isDict(svc) || svc.extends === undefined) return svc;
    if (this.done.has(id)) return this.done.get(id);
    const path = ['services', name, 'extends'];
    if (stack.some((f) => f.file === file && f.name === name)) throw this.cycle([...stack, { file, name }], svc, path);
    const ref = extendsRef(svc.extends, svc, path);
    const baseFile = ref.file === undefined ? file : resolve(this.dirOf(file), ref.file);
    const baseServices = baseFile === file ? services : this.servicesOf(baseFile, svc, path);
    if (!isDict(baseServices) || !Object.hasOwn(baseServices, ref.service)) {
      throw new ConfigError(`service "${ref.service}" not found in ${baseFile}`, {
        position: getPos(svc, 'extends'),
        keyPath: formatKeyPath(path),
      });
    }
    const resolved = this.resolve(baseFile, baseServices, ref.service, [...stack, { file, name }]);
    let base = cloneData(isDict(resolved) ? resolved : {});
    if (baseFile !== file) absolutizeService(base, this.ctx.includeProjectDir ?? dirname(baseFile));
    if (file === this.layer.file) base = this.applyClears(base, name);
    const own: Dict = {};
    for (const k of Object.keys(svc)) {
      if (k === 'extends') continue;
      own[k] = svc[k];
      movePos(svc, k, own, k);
    }
    const merged = mergeDocs(base, own, ['services', name]);
    this.done.set(id, merged);
    return merged;
  }

  // Where a file's relative `extends.file` starts: its own directory, stdin's project directory,
  // or an included project's explicit project_directory.
  private dirOf(file: string): string {
    if (this.ctx.includeProjectDir !== undefined) return this.ctx.includeProjectDir;
    return file === '-' || file === STDIN_NAME ? this.ctx.projectDir : dirname(file);
  }

  private servicesOf(file: string, svc: Dict, path: KeyPath): unknown {
    try {
      const layers = readLayers(file, this.ctx);
      return layers.reduce<Dict>((acc, l) => mergeDocs(acc, l.data), {}).services;
    } catch (e) {
      if (e instanceof ConfigError && e.position === undefined) {
        throw new ConfigError(e.detail, { position: getPos(svc, 'extends'), keyPath: formatKeyPath(path) });
      }
      throw e;
    }
  }

  // `!reset` / `!override` inside the extending service clear what the base provides.
  private applyClears(base: Dict, name: string): Dict {
    let out = base;
    for (const p of this.layer.clears)
      if (p[0] === 'services' && p[1] === name && p.length > 2) out = withoutPath(out, p.slice(2));
    return out;
  }

  private cycle(chain: readonly Frame[], svc: Dict, path: KeyPath): ConfigError {
    const show = (f: Frame): string =>
      f.file === this.layer.file ? f.name : `${relative(this.ctx.projectDir, f.file)}:${f.name}`;
    return new ConfigError(`circular reference in extends: ${chain.map(show).join(' -> ')}`, {
      position: getPos(svc, 'extends'),
      keyPath: formatKeyPath(path),
    });
  }
}

function extendsRef(v: unknown, svc: Dict, path: KeyPath): { service: string; file?: string } {
  if (typeof v === 'string' && v !== '') return { service: v };
  if (isDict(v) && typeof v.service === 'string') {
    return typeof v.file === 'string' ? { service: v.service, file: v.file } : { service: v.service };
  }
  throw new ConfigError('extends must be a service name or a mapping with "service" (and optional "file")', {
    position: getPos(svc, 'extends'),
    keyPath: formatKeyPath(path),
  });
}
