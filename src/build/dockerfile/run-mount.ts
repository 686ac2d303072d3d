// `RUN --mount=` options (a CSV line of key=value fields) into a typed mount, with BuildKit's keys,
// aliases (src, dst, destination, ro, rw), defaults (bind read-only, cache/tmpfs writable, secret
// id from the target, ssh id `default`) and checks. Values are substituted by the caller when
// `expand` is given; without it (parse time) a `$` in `from` is refused, as BuildKit does.
import { posix } from 'node:path';
import type { RunMount } from './types.ts';

const TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const SHARING = new Set(['shared', 'private', 'locked']);
const KEYS = new Set([
  'type',
  'from',
  'source',
  'src',
  'target',
  'dst',
  'destination',
  'readonly',
  'ro',
  'readwrite',
  'rw',
  'required',
  'id',
  'sharing',
  'mode',
  'uid',
  'gid',
  'size',
  'env',
]);

interface Fields {
  type: string;
  from?: string;
  source?: string;
  target?: string;
  readOnly?: boolean;
  required?: boolean;
  id?: string;
  sharing?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  env?: string;
}

export function parseRunMount(spec: string, expand?: (value: string) => string): RunMount {
  const f: Fields = { type: 'bind' };
  for (const field of csvFields(spec)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') f.readOnly = true;
      else if (key === 'readwrite' || key === 'rw') f.readOnly = false;
      else if (key === 'required' && (f.type === 'secret' || f.type === 'ssh')) f.required = true;
      else if (key === 'required') throw new Error(`unexpected key '${key}' for mount type '${f.type}'`);
      else throw new Error(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    let value = field.slice(eq + 1);
    if (key === 'from' && /\$./.test(value)) {
      throw new Error(`'${key}' doesn't support variable expansion, define alias stage instead`);
    }
    if (expand) value = expand(value);
    setField(f, key, value, field);
  }
  return finish(f, spec);
}

function setField(f: Fields, key: string, value: string, field: string): void {
  const deferred = value.includes('$'); // parse time: substituted later, checked then
  const bool = (): boolean => {
    if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value))
      throw new Error(`invalid value for ${key}: ${value}`);
    return /^(1|t|T|TRUE|true|True)$/.test(value);
  };
  const uint = (radix: number, what: string): number | undefined => {
    if (deferred) return undefined;
    const ok = radix === 8 ? /^(0o?)?[0-7]+$/.test(value) : /^\d+$/.test(value);
    const n = ok ? parseInt(value.replace(/^0o/, ''), radix) : NaN;
    if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new Error(`invalid value ${value} for ${what}`);
    return n;
  };
  if (!KEYS.has(key)) throw new Error(`unexpected key '${key}' in '${field}'`);
  switch (key) {
    case 'type':
      if (!TYPES.has(value.toLowerCase())) throw new Error(`unsupported mount type ${JSON.stringify(value)}`);
      f.type = value.toLowerCase();
      return;
    case 'from':
      f.from = value;
      return;
    case 'source':
    case 'src':
      f.source = value;
      return;
    case 'target':
    case 'dst':
    case 'destination':
      f.target = value;
      return;
    case 'readonly':
    case 'ro':
      f.readOnly = bool();
      return;
    case 'readwrite':
    case 'rw':
      f.readOnly = !bool();
      return;
    case 'required':
      if (f.type !== 'secret' && f.type !== 'ssh')
        throw new Error(`unexpected key '${key}' for mount type '${f.type}'`);
      f.required = bool();
      return;
    case 'id':
      f.id = value;
      return;
    case 'sharing':
      if (!SHARING.has(value.toLowerCase())) throw new Error(`unsupported sharing value ${JSON.stringify(value)}`);
      f.sharing = value.toLowerCase();
      return;
    case 'mode': {
      const n = uint(8, 'mode');
      if (n !== undefined) f.mode = n;
      return;
    }
    case 'uid': {
      const n = uint(10, 'uid');
      if (n !== undefined) f.uid = n;
      return;
    }
    case 'gid': {
      const n = uint(10, 'gid');
      if (n !== undefined) f.gid = n;
      return;
    }
    case 'size': {
      const n = deferred ? undefined : parseSize(value);
      if (n !== undefined) f.size = n;
      return;
    }
    default:
      f.env = value;
  }
}

function finish(f: Fields, spec: string): RunMount {
  const fileInfo = f.type === 'secret' || f.type === 'ssh' || f.type === 'cache';
  for (const k of ['mode', 'uid', 'gid'] as const) {
    if (f[k] !== undefined && !fileInfo) throw new Error(`${k} not allowed for ${JSON.stringify(f.type)} type mounts`);
  }
  if (f.sharing !== undefined && f.type !== 'cache') throw new Error(`invalid cache sharing set for ${f.type} mount`);
  if (f.size !== undefined && f.type !== 'tmpfs')
    throw new Error(`size not allowed for ${JSON.stringify(f.type)} type mounts`);
  if (f.env !== undefined && f.type !== 'secret')
    throw new Error(`env not allowed for ${JSON.stringify(f.type)} type mounts`);
  const needTarget = (): string => {
    if (f.target === undefined || f.target === '') throw new Error(`mount target is required for type=${f.type}`);
    return f.target;
  };
  switch (f.type) {
    case 'bind':
      return { type: 'bind', spec, target: needTarget(), source: f.source, from: f.from, readOnly: f.readOnly ?? true };
    case 'cache': {
      const target = needTarget();
      return {
        type: 'cache',
        spec,
        target,
        id: f.id ?? target,
        source: f.source,
        from: f.from,
        readOnly: f.readOnly ?? false,
        sharing: (f.sharing ?? 'shared') as 'shared' | 'private' | 'locked',
        mode: f.mode,
        uid: f.uid,
        gid: f.gid,
      };
    }
    case 'tmpfs':
      return { type: 'tmpfs', spec, target: needTarget(), size: f.size };
    case 'secret': {
      if (f.from !== undefined) throw new Error('secret mount should not have a from');
      if (f.source !== undefined && f.id !== undefined) throw new Error("both source and id can't be set");
      const id = f.id ?? f.source ?? (f.target ? posix.basename(f.target) : undefined);
      if (id === undefined || id === '') throw new Error('invalid secret mount. one of source, target required');
      return {
        type: 'secret',
        spec,
        id,
        target: f.env !== undefined && f.target === undefined ? undefined : (f.target ?? `/run/secrets/${id}`),
        env: f.env,
        required: f.required ?? false,
        mode: f.mode ?? 0o400,
        uid: f.uid ?? 0,
        gid: f.gid ?? 0,
      };
    }
    default:
      return {
        type: 'ssh',
        spec,
        id: f.id ?? 'default',
        target: f.target,
        required: f.required ?? false,
        mode: f.mode ?? 0o600,
        uid: f.uid ?? 0,
        gid: f.gid ?? 0,
      };
  }
}

// Go's encoding/csv for one record: `"` quotes a field, `""` inside it is a quote.
function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('failed to parse csv mounts: extraneous or missing " in quoted-field');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',')
        throw new Error('failed to parse csv mounts: extraneous or missing " in quoted-field');
    } else {
      while (i < line.length && line[i] !== ',') {
        if (line[i] === '"') throw new Error('failed to parse csv mounts: bare " in non-quoted-field');
        field += line[i++];
      }
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // the comma
  }
}

// docker/go-units RAMInBytes: binary multiples, optional `i` and `b`.
function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (!m) throw new Error(`invalid size: '${value}'`);
  const unit = 'bkmgtp'.indexOf((m[2] ?? 'b').toLowerCase());
  return Math.floor(parseFloat(m[1]!) * 1024 ** unit);
}
