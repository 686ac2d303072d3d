// `deploy` (mode, replicas, labels, resources) reconciled with the service-level shorthands
// Compose also accepts: scale → replicas, mem_limit → limits.memory, cpus → limits.cpus,
// pids_limit → limits.pids, mem_reservation → reservations.memory. Equal values in both places
// are fine; distinct ones are an error, as in Compose ("can't set distinct values").
import type { DeployConfig, ResourceLimits } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import {
  asInt,
  asNumber,
  asString,
  configError,
  defined,
  isDict,
  stringMap,
  type Dict,
  type NormalizeContext,
} from './context.ts';
import { bytes } from './bytes.ts';

type Reader = (ctx: NormalizeContext, path: KeyPath, v: unknown) => number;
const memory: Reader = (ctx, path, v) => bytes(ctx, path, v);

// [service key, deploy path, reader]
const SHORTHANDS: ReadonlyArray<readonly [string, readonly string[], Reader]> = [
  ['scale', ['replicas'], asInt],
  ['mem_limit', ['resources', 'limits', 'memory'], memory],
  ['cpus', ['resources', 'limits', 'cpus'], asNumber],
  ['pids_limit', ['resources', 'limits', 'pids'], asInt],
  ['mem_reservation', ['resources', 'reservations', 'memory'], memory],
];

export function normalizeDeploy(ctx: NormalizeContext, path: KeyPath, svc: Dict): DeployConfig | undefined {
  const d = isDict(svc.deploy) ? svc.deploy : {};
  const dp = [...path, 'deploy'];
  const res = isDict(d.resources) ? d.resources : {};
  const limits = isDict(res.limits) ? res.limits : {};
  const reserv = isDict(res.reservations) ? res.reservations : {};
  const at = (...k: string[]): KeyPath => [...dp, 'resources', ...k];
  const deployed: Record<string, number | undefined> = {
    replicas: d.replicas === undefined || d.replicas === null ? undefined : asInt(ctx, [...dp, 'replicas'], d.replicas),
    'resources.limits.memory':
      limits.memory === undefined ? undefined : memory(ctx, at('limits', 'memory'), limits.memory),
    'resources.limits.cpus': limits.cpus === undefined ? undefined : asNumber(ctx, at('limits', 'cpus'), limits.cpus),
    'resources.limits.pids': limits.pids === undefined ? undefined : asInt(ctx, at('limits', 'pids'), limits.pids),
    'resources.reservations.memory':
      reserv.memory === undefined ? undefined : memory(ctx, at('reservations', 'memory'), reserv.memory),
    'resources.reservations.cpus':
      reserv.cpus === undefined ? undefined : asNumber(ctx, at('reservations', 'cpus'), reserv.cpus),
  };
  for (const [key, target, read] of SHORTHANDS) {
    if (svc[key] === undefined || svc[key] === null) continue;
    const value = read(ctx, [...path, key], svc[key]);
    const name = target.join('.');
    const other = deployed[name];
    if (other !== undefined && other !== value)
      throw configError(ctx, [...path, key], `can't set distinct values on '${key}' and 'deploy.${name}'`);
    deployed[name] = value;
  }
  return assemble(ctx, dp, d, deployed);
}

function assemble(
  ctx: NormalizeContext,
  dp: KeyPath,
  d: Dict,
  v: Record<string, number | undefined>,
): DeployConfig | undefined {
  const limits = defined<ResourceLimits>({
    cpus: v['resources.limits.cpus'],
    memory: v['resources.limits.memory'],
    pids: v['resources.limits.pids'],
  });
  const reservations = defined<Omit<ResourceLimits, 'pids'>>({
    cpus: v['resources.reservations.cpus'],
    memory: v['resources.reservations.memory'],
  });
  const resources = defined<NonNullable<DeployConfig['resources']>>({
    limits: Object.keys(limits).length ? limits : undefined,
    reservations: Object.keys(reservations).length ? reservations : undefined,
  });
  const mode = d.mode === undefined ? undefined : asString(ctx, [...dp, 'mode'], d.mode);
  if (mode !== undefined && mode !== 'replicated' && mode !== 'global')
    throw configError(ctx, [...dp, 'mode'], `unknown mode "${mode}" (replicated or global)`);
  const deploy = defined<DeployConfig>({
    mode,
    replicas: v.replicas,
    labels: d.labels === undefined ? undefined : stringMap(ctx, [...dp, 'labels'], d.labels),
    resources: Object.keys(resources).length ? resources : undefined,
  });
  return Object.keys(deploy).length ? deploy : undefined;
}
