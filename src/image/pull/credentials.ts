// Registry credentials from Docker's client config (~/.docker/config.json or $DOCKER_CONFIG):
// base64 "auths" entries, and credHelpers / credsStore through `docker-credential-<x> get`.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The keys Docker files Hub credentials under, and the usual variants for other hosts. */
function keysFor(domain: string): string[] {
  if (domain === 'docker.io')
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [domain, `https://${domain}`, `http://${domain}`, `https://${domain}/v1/`, `https://${domain}/v2/`];
}

async function fromHelper(helper: string, server: string): Promise<Credentials | undefined> {
  const { execa } = await import('execa'); // only when a helper is configured
  const r = await execa(`docker-credential-${helper}`, ['get'], { input: server, reject: false }).catch(
    () => undefined,
  );
  if (!r || r.exitCode !== 0) return undefined;
  const j = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
  return j.Username && j.Secret ? { username: j.Username, password: j.Secret } : undefined;
}

export async function credentialsFor(
  domain: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Credentials | undefined> {
  const dir = env['DOCKER_CONFIG'] ?? join(homedir(), '.docker');
  const text = await readFile(join(dir, 'config.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const cfg = JSON.parse(text) as DockerConfig;
  const keys = keysFor(domain);
  const helper = cfg.credHelpers?.[domain] ?? cfg.credsStore;
  if (helper) {
    const c = await fromHelper(helper, keys[0]!);
    if (c) return c;
  }
  for (const k of keys) {
    const a = cfg.auths?.[k];
    if (!a) continue;
    if (a.username && a.password) return { username: a.username, password: a.password };
    if (a.auth) {
      const raw = Buffer.from(a.auth, 'base64').toString('utf8');
      const colon = raw.indexOf(':');
      if (colon > 0) return { username: raw.slice(0, colon), password: raw.slice(colon + 1) };
    }
  }
  return undefined;
}
