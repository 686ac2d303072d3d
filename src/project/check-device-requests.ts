// Device requests (`gpus:` and `deploy.resources.reservations.devices`), checked as Compose
// loads them, before gantry refuses them at `up`: `count` is `all` or a number, and `count` and
// `device_ids` exclude each other. A file Docker rejects must not pass `gantry config`.
import { ConfigError } from '../common/errors.ts';
import { formatKeyPath, type KeyPath, type RawProject } from './raw.ts';
import { isDict } from './normalize/context.ts';

export function checkDeviceRequests(raw: RawProject): void {
  const services = isDict(raw.data.services) ? raw.data.services : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isDict(svc)) continue;
    const deploy = isDict(svc.deploy) ? svc.deploy : {};
    const resources = isDict(deploy.resources) ? deploy.resources : {};
    const reservations = isDict(resources.reservations) ? resources.reservations : {};
    const lists: [KeyPath, unknown][] = [
      [['services', name, 'gpus'], svc.gpus],
      [['services', name, 'deploy', 'resources', 'reservations', 'devices'], reservations.devices],
    ];
    for (const [path, list] of lists)
      if (Array.isArray(list)) list.forEach((d, i) => isDict(d) && checkRequest(raw, [...path, i], d));
  }
}

function checkRequest(raw: RawProject, path: KeyPath, d: Record<string, unknown>): void {
  const fail = (at: KeyPath, detail: string): never => {
    throw new ConfigError(detail, { position: raw.positions(at), keyPath: formatKeyPath(at) });
  };
  if (d.count !== undefined && d.device_ids !== undefined)
    fail(path, '"count" and "device_ids" attributes are exclusive');
  const c = d.count;
  if (c === undefined || (typeof c === 'number' && Number.isInteger(c))) return;
  if (typeof c === 'string' && (c.toLowerCase() === 'all' || /^[-+]?\d+$/.test(c))) return;
  fail([...path, 'count'], `invalid value ${JSON.stringify(String(c))}, the only value allowed is 'all' or a number`);
}
