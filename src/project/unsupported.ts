// Fields gantry reads but does not implement yet. None is dropped silently: each one present
// becomes a warning (`services.web.devices: not supported by gantry yet`) and an entry of
// project.unsupported, so a command that would need it can refuse clearly (requireSupported).
// Decided per field for the engine to come: what a daemonless namespace runtime can do soon
// is modelled; Swarm-only, Windows-only, Docker-daemon-only and GPU/device fields are here.
import { UnsupportedError } from '../common/errors.ts';
import type { Project, UnsupportedField } from './model.ts';
import type { RawProject } from './raw.ts';
import { isDict } from './normalize/context.ts';

/** Service keys gantry does not implement (the rest are modelled, see normalize/service.ts). */
export const UNSUPPORTED_SERVICE_KEYS: readonly string[] = [
  'blkio_config', 'cgroup', 'cgroup_parent', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota',
  'cpu_rt_period', 'cpu_rt_runtime', 'credential_spec', 'develop', 'device_cgroup_rules', 'devices',
  'external_links', 'gpus', 'isolation', 'label_file', 'logging', 'mac_address', 'mem_swappiness',
  'models', 'oom_kill_disable', 'oom_score_adj', 'post_start', 'pre_stop', 'provider',
  'pull_refresh_after', 'runtime', 'security_opt', 'storage_opt', 'use_api_socket', 'userns_mode', 'uts',
];

/** Service keys the loader resolves before this stage (they never reach the model). */
export const LOADER_SERVICE_KEYS: readonly string[] = ['extends'];

// Sub-keys of modelled attributes: only the listed ones are modelled, the rest unsupported.
const MODELLED_SUBKEYS: Readonly<Record<string, readonly string[]>> = {
  build: ['context', 'dockerfile', 'args'],
  deploy: ['mode', 'replicas', 'labels', 'resources'],
  'deploy.resources': ['limits', 'reservations'],
  'deploy.resources.limits': ['cpus', 'memory', 'pids'],
  'deploy.resources.reservations': ['cpus', 'memory'],
};

const UNSUPPORTED_TOP_LEVEL: readonly string[] = ['models'];

export function findUnsupported(raw: RawProject): UnsupportedField[] {
  const field = (service: string | undefined, keys: string[]): UnsupportedField => ({ service, path: keys.join('.'), keys, value: structuredClone(valueAt(raw.data, keys)) });
  const out = UNSUPPORTED_TOP_LEVEL.filter((k) => raw.data[k] !== undefined).map((k) => field(undefined, [k]));
  const services = isDict(raw.data.services) ? raw.data.services : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isDict(svc)) continue;
    const at = (p: string): UnsupportedField => field(name, ['services', name, ...p.split('.')]);
    // In the list's order, not the file's: `config` output (keys sorted) must give the same list.
    for (const key of UNSUPPORTED_SERVICE_KEYS) if (Object.hasOwn(svc, key)) out.push(at(key));
    for (const [prefix, allowed] of Object.entries(MODELLED_SUBKEYS)) {
      const v = valueAt(svc, prefix.split('.'));
      if (!isDict(v)) continue;
      for (const key of Object.keys(v).sort()) if (!allowed.includes(key) && !key.startsWith('x-')) out.push(at(`${prefix}.${key}`));
    }
  }
  return out;
}

function valueAt(v: unknown, keys: readonly string[]): unknown {
  let cur = v;
  for (const k of keys) cur = isDict(cur) ? cur[k] : undefined;
  return cur;
}

export const unsupportedWarning = (f: UnsupportedField): string => `${f.path}: not supported by gantry yet`;

/** For commands that would need a field: fails naming the first unsupported one of `services`. */
export function requireSupported(project: Project, services: readonly string[] = Object.keys(project.services)): void {
  const found = project.unsupported.find((f) => f.service === undefined || services.includes(f.service));
  if (found) throw new UnsupportedError(`${found.path}: not supported by gantry yet`);
}
