// The fields Compose writes as strings that plan/ and engine/ need in parts, parsed once here:
// tmpfs entries (by common/tmpfs.ts, the syntax `container run --tmpfs` shares), volumes_from
// (`[service:|container:]NAME[:ro|rw]`), links (`SERVICE[:ALIAS]`) and the network_mode / ipc /
// pid references (`service:X`, `container:X`, or a mode word). The strings stay in the model for `config` and the hash.
import { parseTmpfs } from '../../common/tmpfs.ts';
import type { NamespaceRef, ServiceRefs, TmpfsMount, VolumesFromRef } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { configError, type NormalizeContext } from './context.ts';

function tmpfsMount(ctx: NormalizeContext, path: KeyPath, text: string): TmpfsMount {
  return parseTmpfs(text, (why) => configError(ctx, path, why));
}

function volumesFrom(ctx: NormalizeContext, path: KeyPath, text: string): VolumesFromRef {
  const container = text.startsWith('container:');
  const rest = container ? text.slice('container:'.length) : text.replace(/^service:/, '');
  const [name = '', access, more] = rest.split(':');
  if (name === '' || more !== undefined || (access !== undefined && access !== 'ro' && access !== 'rw')) {
    throw configError(ctx, path, `${JSON.stringify(text)} is not [service:|container:]NAME[:ro|rw]`);
  }
  return { kind: container ? 'container' : 'service', name, readOnly: access === 'ro' };
}

/** `service:X` / `container:X` name another's namespace; any other word is a mode the engine checks. */
export function namespaceRef(text: string): NamespaceRef {
  if (text.startsWith('service:')) return { kind: 'service', name: text.slice('service:'.length) };
  if (text.startsWith('container:')) return { kind: 'container', name: text.slice('container:'.length) };
  return { kind: 'mode', name: text };
}

interface RefSource {
  readonly tmpfs?: readonly string[];
  readonly volumes_from?: readonly string[];
  readonly links?: readonly string[];
  readonly network_mode?: string;
  readonly ipc?: string;
  readonly pid?: string;
}

export function serviceRefs(ctx: NormalizeContext, path: KeyPath, svc: RefSource): ServiceRefs {
  const ns = (k: 'network_mode' | 'ipc' | 'pid') => (svc[k] !== undefined ? { [k]: namespaceRef(svc[k]) } : {});
  return {
    tmpfs: (svc.tmpfs ?? []).map((t, i) => tmpfsMount(ctx, [...path, 'tmpfs', i], t)),
    volumes_from: (svc.volumes_from ?? []).map((v, i) => volumesFrom(ctx, [...path, 'volumes_from', i], v)),
    links: (svc.links ?? []).map((l) => {
      const [service = '', alias] = l.split(':');
      return { service, alias: alias ?? service };
    }),
    ...ns('network_mode'),
    ...ns('ipc'),
    ...ns('pid'),
  };
}
