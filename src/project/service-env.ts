// Each service's `env_file`s (string, list, or {path, required, format}) are read and become
// defaults of its `environment`: explicit entries win, except a bare `KEY` (no value), which
// keeps the file's value. `env_file` stays in the document with absolute paths.
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../common/errors.ts';
import { formatKeyPath } from './raw.ts';
import { resolvePath } from './paths.ts';
import { getPos, movePos, setPos } from './positions.ts';
import { isDict, keyValueMap, type Dict } from './merge-forms.ts';
import { parseDotEnv } from './dotenv.ts';
import { noteFile, noteText } from './input-record.ts';

interface EnvFileRef {
  readonly path: string;
  readonly required: boolean;
  readonly format: string | undefined;
}

export function resolveServiceEnvFiles(data: Dict, projectDir: string, env: Readonly<Record<string, string>>): Dict {
  const services = data.services;
  if (!isDict(services)) return data;
  let changed = false;
  const out: Dict = {};
  for (const [name, svc] of Object.entries(services)) {
    out[name] =
      isDict(svc) && svc.env_file !== undefined && svc.env_file !== null
        ? withEnvFiles(name, svc, projectDir, env)
        : svc;
    changed ||= out[name] !== svc;
    movePos(services, name, out, name);
  }
  if (!changed) return data;
  const doc: Dict = { ...data, services: out };
  for (const k of Object.keys(data)) movePos(data, k, doc, k);
  return doc;
}

function withEnvFiles(name: string, svc: Dict, projectDir: string, env: Readonly<Record<string, string>>): Dict {
  const refs = envFileRefs(svc.env_file, projectDir, env.HOME);
  const vars: Record<string, string> = {};
  const where = { position: getPos(svc, 'env_file'), keyPath: formatKeyPath(['services', name, 'env_file']) };
  for (const ref of refs) {
    noteFile(ref.path);
    if (!existsSync(ref.path)) {
      if (ref.required) throw new ConfigError(`env file ${ref.path} not found for service "${name}"`, where);
      continue;
    }
    const text = readFileSync(ref.path, 'utf8');
    noteText(text);
    if (ref.format === 'raw') Object.assign(vars, parseRaw(text));
    else if (ref.format === undefined)
      Object.assign(vars, parseDotEnv(text, { file: ref.path, lookup: (n) => env[n], fallback: (n) => vars[n] }));
    else throw new ConfigError(`unsupported env_file format "${ref.format}"`, where);
  }
  const explicit = keyValueMap(svc.environment);
  const environment: Dict = {};
  for (const [k, v] of Object.entries(vars)) {
    environment[k] = v;
    setPos(environment, k, where.position);
  }
  for (const [k, v] of Object.entries(explicit)) {
    if (v === null && Object.hasOwn(vars, k)) continue;
    environment[k] = v;
    movePos(explicit, k, environment, k);
  }
  const out: Dict = {};
  for (const k of Object.keys(svc)) {
    out[k] = svc[k];
    movePos(svc, k, out, k);
  }
  out.env_file = refs.map((r) =>
    r.format === undefined
      ? { path: r.path, required: r.required }
      : { path: r.path, required: r.required, format: r.format },
  );
  out.environment = environment;
  if (!getPos(out, 'environment')) setPos(out, 'environment', where.position);
  return out;
}

function envFileRefs(v: unknown, projectDir: string, home: string | undefined): EnvFileRef[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((e) => {
    if (isDict(e)) {
      const format = typeof e.format === 'string' ? e.format : undefined;
      return {
        path: resolvePath(projectDir, String(e.path), home),
        required: e.required !== false && e.required !== 'false',
        format,
      };
    }
    return { path: resolvePath(projectDir, String(e), home), required: true, format: undefined };
  });
}

// `format: raw`: each line is KEY=VALUE taken literally, no quotes, escapes or interpolation.
function parseRaw(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}
