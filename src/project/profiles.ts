// Profiles: a service with `profiles` runs only when one of them is enabled (`--profile`,
// COMPOSE_PROFILES, `*` for all); a service without is always on. An enabled service that needs
// a disabled one (depends_on, links, network_mode/volumes_from `service:`) is an error that
// names the profiles which would enable it. A service named on the command line enables its own.
import { ConfigError } from '../common/errors.ts';
import { formatKeyPath } from './raw.ts';
import { getPos, movePos } from './positions.ts';
import { isDict, type Dict } from './merge-forms.ts';

export interface ProfileResult {
  readonly data: Dict;
  readonly allProfiles: string[];
  readonly activeProfiles: string[];
  /** Services left out because none of their profiles is active. */
  readonly disabledServices: string[];
}

/** `--profile` values; COMPOSE_PROFILES (comma-separated) only when none is given, as in Compose. */
export function requestedProfiles(flags: readonly string[], composeProfiles: string | undefined): string[] {
  const list = flags.length > 0 ? flags : (composeProfiles ?? '').split(',').map((s) => s.trim());
  return [...new Set(list.filter((p) => p !== ''))];
}

const profilesOf = (svc: unknown): string[] =>
  isDict(svc) && Array.isArray(svc.profiles) ? svc.profiles.map(String) : [];

/** `enable`: services named on the command line; as in Compose, naming one enables its profiles. */
export function applyProfiles(data: Dict, requested: readonly string[], enable: readonly string[] = []): ProfileResult {
  const services = isDict(data.services) ? data.services : {};
  const all = [...new Set(Object.values(services).flatMap(profilesOf))].sort();
  const everything = requested.includes('*');
  const named = enable.filter((n) => Object.hasOwn(services, n)).flatMap((n) => profilesOf(services[n]));
  const active = everything ? all : [...new Set([...requested, ...named])].sort();
  const on = (svc: unknown): boolean => {
    const p = profilesOf(svc);
    return p.length === 0 || everything || p.some((x) => active.includes(x));
  };
  const kept: Dict = {};
  for (const [name, svc] of Object.entries(services)) {
    if (!on(svc)) continue;
    kept[name] = svc;
    movePos(services, name, kept, name);
  }
  for (const [name, svc] of Object.entries(kept)) {
    for (const dep of needs(svc)) {
      if (Object.hasOwn(services, dep.name) && !Object.hasOwn(kept, dep.name)) {
        const profiles = profilesOf(services[dep.name]);
        throw new ConfigError(
          `service "${dep.name}" is required by "${name}" but is disabled. Can be enabled by profiles [${profiles.join(' ')}]`,
          {
            position: isDict(svc) ? getPos(svc, dep.via) : undefined,
            keyPath: formatKeyPath(['services', name, dep.via]),
          },
        );
      }
    }
  }
  const disabledServices = Object.keys(services).filter((n) => !Object.hasOwn(kept, n));
  if (!isDict(data.services)) return { data, allProfiles: all, activeProfiles: active, disabledServices };
  const out: Dict = { ...data, services: kept };
  for (const k of Object.keys(data)) movePos(data, k, out, k);
  return { data: out, allProfiles: all, activeProfiles: active, disabledServices };
}

interface Need {
  readonly name: string;
  readonly via: string;
}

// Dependencies with `required: false` may be absent, so a disabled one is not an error.
function needs(svc: unknown): Need[] {
  if (!isDict(svc)) return [];
  const out: Need[] = [];
  const dep = svc.depends_on;
  if (Array.isArray(dep)) for (const d of dep) out.push({ name: String(d), via: 'depends_on' });
  else if (isDict(dep)) {
    for (const [d, spec] of Object.entries(dep))
      if (!(isDict(spec) && spec.required === false)) out.push({ name: d, via: 'depends_on' });
  }
  if (Array.isArray(svc.links)) for (const l of svc.links) out.push({ name: String(l).split(':')[0]!, via: 'links' });
  if (typeof svc.network_mode === 'string' && svc.network_mode.startsWith('service:')) {
    out.push({ name: svc.network_mode.slice('service:'.length), via: 'network_mode' });
  }
  if (Array.isArray(svc.volumes_from)) {
    for (const v of svc.volumes_from) {
      const s = String(v);
      if (!s.startsWith('container:'))
        out.push({ name: s.replace(/^service:/, '').split(':')[0]!, via: 'volumes_from' });
    }
  }
  return out;
}
