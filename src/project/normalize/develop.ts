// `develop.watch`: each rule with its defaults made explicit (ignore [], initial_sync false),
// `path` absolute (from the project directory), `exec` as an argv with its environment a map.
// Compose's own checks: sync actions need a `target`, sync+exec needs `exec`.
import type { DevelopConfig, WatchAction, WatchRule } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { normalizeCommand } from './command.ts';
import {
  absolutePath,
  asBool,
  asString,
  configError,
  defined,
  isDict,
  keyValues,
  stringList,
  type NormalizeContext,
} from './context.ts';

const ACTIONS: readonly WatchAction[] = ['sync', 'rebuild', 'restart', 'sync+restart', 'sync+exec'];

function normalizeRule(ctx: NormalizeContext, path: KeyPath, raw: unknown): WatchRule {
  if (!isDict(raw)) throw configError(ctx, path, 'must be a mapping with path and action');
  const action = asString(ctx, [...path, 'action'], raw.action) as WatchAction;
  if (!ACTIONS.includes(action)) throw configError(ctx, [...path, 'action'], `must be one of ${ACTIONS.join(', ')}`);
  const target =
    raw.target === undefined || raw.target === null ? undefined : asString(ctx, [...path, 'target'], raw.target);
  if (action.startsWith('sync') && !target) throw configError(ctx, path, `target is required for ${action} actions`);
  if (action === 'sync+exec' && !isDict(raw.exec))
    throw configError(ctx, path, 'exec is required for sync+exec actions');
  const e = isDict(raw.exec) ? raw.exec : undefined;
  const ep = [...path, 'exec'];
  const exec =
    e &&
    defined({
      command: normalizeCommand(ctx, [...ep, 'command'], e.command) ?? [],
      user: e.user === undefined ? undefined : asString(ctx, [...ep, 'user'], e.user),
      working_dir: e.working_dir === undefined ? undefined : asString(ctx, [...ep, 'working_dir'], e.working_dir),
      environment:
        e.environment === undefined || e.environment === null
          ? {}
          : keyValues(ctx, [...ep, 'environment'], e.environment),
      privileged: e.privileged === undefined ? undefined : asBool(ctx, [...ep, 'privileged'], e.privileged),
    });
  return defined<WatchRule>({
    path: absolutePath(ctx, asString(ctx, [...path, 'path'], raw.path)),
    action,
    target,
    ignore: raw.ignore === undefined || raw.ignore === null ? [] : stringList(ctx, [...path, 'ignore'], raw.ignore),
    include:
      raw.include === undefined || raw.include === null
        ? undefined
        : stringList(ctx, [...path, 'include'], raw.include),
    initial_sync: raw.initial_sync === undefined ? false : asBool(ctx, [...path, 'initial_sync'], raw.initial_sync),
    exec,
  });
}

export function normalizeDevelop(ctx: NormalizeContext, path: KeyPath, raw: unknown): DevelopConfig {
  if (raw === null) return { watch: [] };
  if (!isDict(raw)) throw configError(ctx, path, 'must be a mapping');
  const w = raw.watch;
  if (w !== undefined && w !== null && !Array.isArray(w)) throw configError(ctx, [...path, 'watch'], 'must be a list');
  return { watch: (Array.isArray(w) ? w : []).map((r, i) => normalizeRule(ctx, [...path, 'watch', i], r)) };
}
