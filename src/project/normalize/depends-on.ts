// `depends_on`: a list of names means {condition: service_started, required: true}; the long
// form's omitted fields take the same defaults, and `restart` defaults to false. An optional
// dependency on a service of an inactive profile is left out: that service is not part of this
// project, so there is nothing to wait for (and the printed project stays loadable).
import type { DependsOn, DependsOnCondition } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asBool, asString, configError, isDict, type NormalizeContext } from './context.ts';

const CONDITIONS = new Set<string>(['service_started', 'service_healthy', 'service_completed_successfully']);

export function normalizeDependsOn(ctx: NormalizeContext, path: KeyPath, v: unknown): Record<string, DependsOn> {
  const out: Record<string, DependsOn> = {};
  if (Array.isArray(v)) {
    v.forEach(
      (e, i) =>
        (out[asString(ctx, [...path, i], e)] = { condition: 'service_started', required: true, restart: false }),
    );
    return out;
  }
  if (!isDict(v)) throw configError(ctx, path, 'must be a list of services or a mapping');
  for (const [name, e] of Object.entries(v)) {
    const p = [...path, name];
    const d = isDict(e) ? e : {};
    const required = d.required === undefined ? true : asBool(ctx, [...p, 'required'], d.required);
    if (!required && ctx.disabledServices.has(name)) continue;
    const condition = d.condition === undefined ? 'service_started' : asString(ctx, [...p, 'condition'], d.condition);
    if (!CONDITIONS.has(condition)) throw configError(ctx, [...p, 'condition'], `unknown condition "${condition}"`);
    out[name] = {
      condition: condition as DependsOnCondition,
      required,
      restart: d.restart === undefined ? false : asBool(ctx, [...p, 'restart'], d.restart),
    };
  }
  return out;
}

/**
 * As Compose: a service named by links, network_mode / ipc / pid `service:X` or volumes_from is a
 * dependency even when depends_on does not list it; `config` shows it. Declared entries win.
 */
export function withImplicitDependencies(
  declared: Record<string, DependsOn>,
  svc: {
    readonly links?: readonly string[];
    readonly network_mode?: string;
    readonly ipc?: string;
    readonly pid?: string;
    readonly volumes_from?: readonly string[];
  },
): Record<string, DependsOn> {
  const out = { ...declared };
  const add = (name: string, restart: boolean): void => {
    if (name !== '' && !Object.hasOwn(out, name)) out[name] = { condition: 'service_started', required: true, restart };
  };
  for (const l of svc.links ?? []) add(l.split(':')[0]!, true);
  for (const ns of [svc.network_mode, svc.ipc, svc.pid])
    if (ns?.startsWith('service:')) add(ns.slice('service:'.length), true);
  for (const v of svc.volumes_from ?? [])
    if (!v.startsWith('container:')) add(v.replace(/^service:/, '').split(':')[0]!, false);
  return out;
}
