// Makes the relative paths of a document absolute against a base directory. Used for content
// taken from another directory (an `extends` file elsewhere, an included project), so its paths
// keep pointing where their author meant. Values are replaced in place; keys and positions stay.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { isDict, type Dict } from './merge-forms.ts';

const absolute = (base: string, p: unknown): unknown =>
  typeof p === 'string' && p !== '' && !isAbsolute(p) && !p.startsWith('~') ? resolve(base, p) : p;

/** A path as Compose resolves it: `~` is the user's home, relative paths start at `base`. */
export function resolvePath(base: string, p: string, home: string | undefined): string {
  if (p === '~' || p.startsWith('~/')) return resolve(home ?? homedir(), `.${p.slice(1)}`);
  return resolve(base, p);
}

// A build context may be a URL or a git remote, which is not a path.
export const isRemote = (s: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('git@') || s.startsWith('github.com/');

export function absolutizeDocument(doc: Dict, base: string): void {
  if (isDict(doc.services))
    for (const svc of Object.values(doc.services)) if (isDict(svc)) absolutizeService(svc, base);
  for (const top of ['secrets', 'configs'] as const) {
    const group = doc[top];
    if (!isDict(group)) continue;
    for (const item of Object.values(group))
      if (isDict(item) && typeof item.file === 'string') item.file = absolute(base, item.file);
  }
}

export function absolutizeService(svc: Dict, base: string): void {
  if (typeof svc.build === 'string' && !isRemote(svc.build)) svc.build = absolute(base, svc.build);
  else if (isDict(svc.build) && typeof svc.build.context === 'string' && !isRemote(svc.build.context)) {
    svc.build.context = absolute(base, svc.build.context);
  }
  if (isDict(svc.build)) absolutizeContexts(svc.build, base);
  svc.env_file = absolutizeEnvFiles(svc.env_file, base);
  if (svc.env_file === undefined) delete svc.env_file;
  if (typeof svc.label_file === 'string') svc.label_file = absolute(base, svc.label_file);
  else if (Array.isArray(svc.label_file)) svc.label_file = svc.label_file.map((f) => absolute(base, f));
  if (Array.isArray(svc.volumes)) svc.volumes.forEach((v, i, arr) => (arr[i] = absolutizeVolume(v, base)));
  const watch = isDict(svc.develop) ? svc.develop.watch : undefined;
  if (Array.isArray(watch))
    for (const w of watch) if (isDict(w) && typeof w.path === 'string') w.path = absolute(base, w.path);
}

// additional_contexts: NAME: value or NAME=value; only local paths are paths.
function absolutizeContexts(build: Dict, base: string): void {
  const one = (v: unknown): unknown =>
    typeof v === 'string' && !isRemote(v) && !/^(service|target):/.test(v) ? absolute(base, v) : v;
  const c = build.additional_contexts;
  if (isDict(c)) for (const k of Object.keys(c)) c[k] = one(c[k]);
  else if (Array.isArray(c))
    c.forEach((e, i) => {
      const eq = typeof e === 'string' ? e.indexOf('=') : -1;
      if (eq > 0) c[i] = `${(e as string).slice(0, eq)}=${String(one((e as string).slice(eq + 1)))}`;
    });
}

function absolutizeEnvFiles(v: unknown, base: string): unknown {
  if (typeof v === 'string') return absolute(base, v);
  if (!Array.isArray(v)) return v;
  v.forEach((e, i) => {
    if (typeof e === 'string') v[i] = absolute(base, e);
    else if (isDict(e) && typeof e.path === 'string') e.path = absolute(base, e.path);
  });
  return v;
}

// Only bind sources are paths: short syntax sources starting with `.`; long syntax type bind.
function absolutizeVolume(v: unknown, base: string): unknown {
  if (typeof v === 'string') {
    const colon = v.indexOf(':');
    if (colon > 0 && v.startsWith('.')) return `${resolve(base, v.slice(0, colon))}${v.slice(colon)}`;
    return v;
  }
  if (isDict(v) && v.type === 'bind' && typeof v.source === 'string') v.source = absolute(base, v.source);
  return v;
}
