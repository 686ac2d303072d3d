// Fields gantry reads but does not implement yet. None is dropped silently: each one present
// becomes a warning (`services.web.devices: not supported by gantry yet`) and an entry of
// project.unsupported (with its value, so `config` prints it back), and a command that would
// need it can refuse clearly (requireSupported). Which fields: the `refused` rows of
// field-status.json, the table README.md shows (scripts/gen-field-table.mjs); what a daemonless
// namespace runtime can do soon is modelled; Swarm-only, Windows-only, Docker-daemon-only and
// GPU/device fields are refused.
import { UnsupportedError } from '../common/errors.ts';
import type { Project, UnsupportedField } from './model.ts';
import { formatKeyPath, type KeyPath, type RawProject } from './raw.ts';
import { isDict } from './normalize/context.ts';
import { byCodeUnit } from '../common/compare.ts';
import { FILE_LOG_DRIVERS } from './normalize/logging.ts';
import FIELDS from './field-status.json' with { type: 'json' };

/** Each top-level and service field: implemented, warned or refused (the README's table, too). */
export const FIELD_STATUS: FieldTable = FIELDS;
interface FieldTable {
  readonly top_level: Readonly<Record<string, FieldInfo>>;
  readonly services: Readonly<Record<string, FieldInfo>>;
}
interface FieldInfo {
  readonly status: string; // implemented | warned | refused
  readonly note?: string;
}
const refused = (t: Readonly<Record<string, FieldInfo>>): string[] =>
  Object.keys(t).filter((k) => t[k]!.status === 'refused');

/** Service keys gantry does not implement (the rest are modelled, see normalize/service.ts). */
export const UNSUPPORTED_SERVICE_KEYS: readonly string[] = refused(FIELD_STATUS.services);

/** Why a field is refused, when more can be said than "not yet": the line `up` prints. */
const REASONS: Readonly<Record<string, string>> = {
  gpus: "GPUs need Docker's device requests (a vendor container toolkit); give the device nodes with devices:",
  devices: 'device requests (GPUs) need a vendor container toolkit; give the device nodes with services.*.devices',
};
const lastKey = (f: UnsupportedField): string => String(f.keys.at(-1));
const reasonOf = (f: UnsupportedField): string => {
  if (f.keys.length === 3 && lastKey(f) === 'provider') {
    const type = isDict(f.value) ? String(f.value.type) : '?';
    return `service "${f.service}" is run by the "${type}" provider, a Docker Compose plugin gantry does not run`;
  }
  return REASONS[lastKey(f)] ?? 'not supported by gantry yet';
};

/** Service keys the loader resolves before this stage (they never reach the model). */
export const LOADER_SERVICE_KEYS: readonly string[] = ['extends'];

// Attestations are BuildKit's; an image built without them still runs the same. `false` asks
// for nothing, so it is not warned about.
const WARNED_BUILD_KEYS: Readonly<Record<string, string>> = {
  provenance: "not applied: gantry's builder makes no attestations",
  sbom: "not applied: gantry's builder makes no attestations",
};

/** The warnings for build keys gantry reads and does not apply (see WARNED_BUILD_KEYS). */
export function buildKeyWarnings(raw: RawProject): string[] {
  const services = raw.data['services'];
  if (!isDict(services)) return [];
  return Object.keys(services).flatMap((name) => {
    const build = (services[name] as Record<string, unknown> | null | undefined)?.['build'];
    if (!isDict(build)) return [];
    return Object.keys(WARNED_BUILD_KEYS)
      .filter((k) => build[k] !== undefined && build[k] !== false && build[k] !== 'false')
      .map((k) => `${formatKeyPath(['services', name, 'build', k])}: ${WARNED_BUILD_KEYS[k]}`);
  });
}

/**
 * Objects of which only some keys are modelled; any other key (but x-*) is unsupported.
 * `*` matches any mapping key, `[]` any list entry.
 */
export const MODELLED_SUBKEYS: Readonly<Record<string, readonly string[]>> = {
  'services.*': [], // top-level service keys: see UNSUPPORTED_SERVICE_KEYS instead
  'services.*.build': [
    'context',
    'dockerfile',
    'dockerfile_inline',
    'args',
    'target',
    'labels',
    'tags',
    'no_cache',
    'network',
    'extra_hosts',
    'shm_size',
    'secrets',
    'cache_from',
    'cache_to',
    'pull',
    'platforms',
    'privileged',
    'ulimits',
    ...Object.keys(WARNED_BUILD_KEYS),
    'additional_contexts',
  ],
  'services.*.deploy': ['mode', 'replicas', 'labels', 'resources'],
  'services.*.deploy.resources': ['limits', 'reservations'],
  'services.*.deploy.resources.limits': ['cpus', 'memory', 'pids'],
  'services.*.deploy.resources.reservations': ['cpus', 'memory'],
  'services.*.volumes.[].bind': ['propagation', 'create_host_path', 'selinux'],
  'services.*.volumes.[].volume': ['nocopy', 'subpath'],
  'secrets.*': ['name', 'environment', 'file', 'external', 'labels', 'driver', 'driver_opts'],
  'configs.*': ['name', 'content', 'environment', 'file', 'external', 'labels'],
};

const UNSUPPORTED_TOP_LEVEL: readonly string[] = refused(FIELD_STATUS.top_level);

export function findUnsupported(raw: RawProject): UnsupportedField[] {
  // One list per pattern, joined in MODELLED_SUBKEYS' order: within a service the order is the
  // one a walk per pattern gave (and `config` prints), while the document is walked once.
  const found: KeyPath[][] = PATTERNS.map(() => []);
  walk(raw.data, TRIE, [], found);
  const top = UNSUPPORTED_TOP_LEVEL.filter((k) => raw.data[k] !== undefined).map((k) => [k]);
  const out = [top, ...found].flat().map((keys): UnsupportedField => {
    const service = keys[0] === 'services' ? String(keys[1]) : undefined;
    return { service, path: formatKeyPath(keys), keys, value: structuredClone(valueAt(raw.data, keys)) };
  });
  return out.sort((a, b) => byCodeUnit(a.service ?? '', b.service ?? ''));
}

/** MODELLED_SUBKEYS as a tree of key steps (`*` any key, `[]` any list entry), walked once. */
interface Step {
  readonly next: Map<string, Step>;
  /** The pattern ending here: its index in PATTERNS (and `found`) and its modelled keys. */
  end?: { readonly index: number; readonly allowed: ReadonlySet<string> | 'service' };
}
const PATTERNS = Object.entries(MODELLED_SUBKEYS);
const TRIE: Step = { next: new Map() };
for (const [index, [pattern, allowed]] of PATTERNS.entries()) {
  let step = TRIE;
  for (const key of pattern.split('.')) {
    let child = step.next.get(key);
    if (!child) step.next.set(key, (child = { next: new Map() }));
    step = child;
  }
  step.end = { index, allowed: pattern === 'services.*' ? 'service' : new Set(allowed) };
}

function walk(value: unknown, step: Step, at: KeyPath, found: KeyPath[][]): void {
  if (Array.isArray(value)) {
    const each = step.next.get('[]');
    if (each) for (let i = 0; i < value.length; i++) walk(value[i], each, [...at, i], found);
    return;
  }
  if (!isDict(value)) return;
  const end = step.end;
  if (end) {
    // In a fixed order, not the file's: `config` output (keys sorted) must give the same list.
    const keys =
      end.allowed === 'service'
        ? UNSUPPORTED_SERVICE_KEYS.filter((k) => Object.hasOwn(value, k))
        : Object.keys(value)
            .filter((k) => !(end.allowed as ReadonlySet<string>).has(k) && !k.startsWith('x-'))
            .sort();
    for (const k of keys) found[end.index]!.push([...at, k]);
  }
  const any = step.next.get('*');
  if (any) for (const k of Object.keys(value)) walk(value[k], any, [...at, k], found);
  for (const [k, child] of step.next)
    if (k !== '*' && k !== '[]' && Object.hasOwn(value, k)) walk(value[k], child, [...at, k], found);
}

function valueAt(v: unknown, keys: KeyPath): unknown {
  let cur = v;
  for (const k of keys)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

/**
 * A logging driver gantry does not implement is not an error (the containers run), but their
 * output goes to gantry's own rotated files, not to syslog or fluentd: say so once per service.
 */
export function loggingWarnings(project: Pick<Project, 'services'>): string[] {
  return Object.values(project.services).flatMap((s) => {
    const d = s.logging?.driver;
    if (d === undefined || d === 'none' || FILE_LOG_DRIVERS.includes(d)) return [];
    return [`services.${s.name}.logging.driver: "${d}" is not supported by gantry; its own log files (local) are kept`];
  });
}

/** The warning `config` and every command print. */
export const unsupportedWarnings = (fields: readonly UnsupportedField[]): string[] =>
  fields.map((f) => `${f.path}: ${reasonOf(f)}`);

/** For commands that would need a field: fails naming the first unsupported one of `services`. */
export function requireSupported(project: Project, services: readonly string[] = Object.keys(project.services)): void {
  const found = project.unsupported.find((f) => f.service === undefined || services.includes(f.service));
  if (found) throw new UnsupportedError(`${found.path}: ${reasonOf(found)}`);
}
