// `devices`: `HOST[:CONTAINER[:PERMISSIONS]]` or the long form {source, target, permissions}.
// A CDI name (`vendor.com/class=name`) is kept as written: the engine refuses it at `up`, as
// Docker does without a CDI registry, while `config` still prints it.
import type { DeviceMapping } from '../model.ts';
import type { KeyPath } from '../raw.ts';
import { asString, configError, isDict, type NormalizeContext } from './context.ts';

export const isCdiName = (s: string): boolean => /^[a-z0-9.-]+\/[a-zA-Z0-9_.-]+=[a-zA-Z0-9_.:*-]+$/.test(s);

export function normalizeDevices(ctx: NormalizeContext, path: KeyPath, v: unknown): DeviceMapping[] {
  if (!Array.isArray(v)) throw configError(ctx, path, 'must be a list');
  return v.map((e, i) => {
    const at = [...path, i];
    if (isDict(e)) {
      const source = asString(ctx, [...at, 'source'], e.source);
      const target = e.target === undefined ? source : asString(ctx, [...at, 'target'], e.target);
      const permissions = e.permissions === undefined ? 'rwm' : asString(ctx, [...at, 'permissions'], e.permissions);
      return check(ctx, at, { source, target, permissions });
    }
    const s = asString(ctx, at, e);
    if (isCdiName(s)) return { source: s, target: s, permissions: 'rwm', cdi: true };
    const parts = s.split(':');
    if (parts.length > 3) throw configError(ctx, at, `invalid device "${s}" (HOST[:CONTAINER[:PERMISSIONS]])`);
    const [source = '', second, third] = parts;
    // Docker's short form: a second part of only r/w/m letters is the permissions, not a path.
    const secondIsPerm = parts.length === 2 && second !== undefined && /^[rwm]+$/.test(second);
    const target = secondIsPerm ? source : (second ?? source);
    const permissions = secondIsPerm ? second! : (third ?? 'rwm');
    return check(ctx, at, { source, target, permissions });
  });
}

function check(ctx: NormalizeContext, at: KeyPath, d: DeviceMapping): DeviceMapping {
  if (!d.source.startsWith('/'))
    throw configError(ctx, at, `the host device "${d.source}" must be an absolute path (or a CDI name)`);
  if (!d.target.startsWith('/') || d.target.includes('\0'))
    throw configError(ctx, at, `the container path "${d.target}" must be absolute`);
  if (!/^[rwm]{1,3}$/.test(d.permissions) || new Set(d.permissions).size !== d.permissions.length) {
    throw configError(ctx, at, `permissions "${d.permissions}" must be letters of r, w, m`);
  }
  return d;
}
