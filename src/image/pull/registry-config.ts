// Which registries gantry speaks plain HTTP to and which mirrors it tries first. Loopback
// registries are always plain HTTP (as Docker); the rest comes from the config file
// ($GANTRY_CONFIG, default /etc/gantry/config.json) and the environment:
//   GANTRY_INSECURE_REGISTRIES=host:port,host2   GANTRY_REGISTRY_MIRRORS=docker.io=http://127.0.0.1:5000
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../common/errors.ts';

export interface RegistrySettings {
  readonly insecure: readonly string[];
  readonly mirrors: Readonly<Record<string, readonly string[]>>;
  /** GANTRY_REGISTRY_TIMEOUT (seconds): how long a registry may send nothing. */
  readonly timeoutMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function fromFile(path: string): Partial<{ insecureRegistries: string[]; registryMirrors: Record<string, string[]> }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return JSON.parse(text) as Partial<{ insecureRegistries: string[]; registryMirrors: Record<string, string[]> }>;
  } catch (err) {
    throw new ConfigError(`${path}: invalid JSON: ${(err as Error).message}`);
  }
}

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function registrySettings(env: Env = process.env): RegistrySettings {
  const file = fromFile(env['GANTRY_CONFIG'] ?? '/etc/gantry/config.json');
  const mirrors: Record<string, string[]> = { ...(file.registryMirrors ?? {}) };
  for (const item of list(env['GANTRY_REGISTRY_MIRRORS'])) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError(`GANTRY_REGISTRY_MIRRORS: "${item}" is not registry=url`);
    const reg = item.slice(0, eq);
    mirrors[reg] = [...(mirrors[reg] ?? []), item.slice(eq + 1)];
  }
  const timeout = env['GANTRY_REGISTRY_TIMEOUT'];
  const seconds = timeout === undefined || timeout === '' ? undefined : Number(timeout);
  if (seconds !== undefined && !(seconds > 0))
    throw new ConfigError(`GANTRY_REGISTRY_TIMEOUT: "${timeout}" is not a number of seconds`);
  return {
    insecure: [...(file.insecureRegistries ?? []), ...list(env['GANTRY_INSECURE_REGISTRIES'])],
    mirrors,
    ...(seconds === undefined ? {} : { timeoutMs: seconds * 1000 }),
  };
}

export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Base URLs to try for a registry host, mirrors first. */
export function endpointsFor(domain: string, apiHost: string, s: RegistrySettings): string[] {
  const plain = isLoopbackHost(apiHost) || s.insecure.includes(apiHost) || s.insecure.includes(domain);
  const mirrors = (s.mirrors[domain] ?? []).map((u) => u.replace(/\/+$/, ''));
  return [...mirrors, `${plain ? 'http' : 'https'}://${apiHost}`];
}
