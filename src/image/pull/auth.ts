// Registry authentication: parse the WWW-Authenticate challenge, fetch a bearer token from
// its realm (anonymous first, then with credentials), or answer a Basic challenge.
import { RuntimeError } from '../../common/errors.ts';
import type { Credentials } from './credentials.ts';

export interface Challenge {
  readonly scheme: string; // lower-case: bearer, basic
  readonly params: Readonly<Record<string, string>>;
}

/** `Bearer realm="https://auth",service="reg",scope="repository:x:pull"` → parts. */
export function parseChallenge(header: string): Challenge {
  const sp = header.indexOf(' ');
  const scheme = (sp < 0 ? header : header.slice(0, sp)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of (sp < 0 ? '' : header.slice(sp + 1)).matchAll(re)) {
    params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme, params };
}

export const basicHeader = (c: Credentials): string =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

async function requestToken(
  ch: Challenge,
  scope: string,
  creds: Credentials | undefined,
  signal?: AbortSignal,
): Promise<Response> {
  const realm = ch.params['realm'];
  if (!realm) throw new RuntimeError('registry sent a Bearer challenge without a realm');
  const url = new URL(realm);
  if (ch.params['service']) url.searchParams.set('service', ch.params['service']);
  url.searchParams.set('scope', ch.params['scope'] ?? scope);
  const headers: Record<string, string> = creds ? { Authorization: basicHeader(creds) } : {};
  return fetch(url, { headers, ...(signal ? { signal } : {}) });
}

/** A bearer token for scope; tries anonymously unless anonymous is false. */
export async function fetchToken(
  ch: Challenge,
  scope: string,
  creds: Credentials | undefined,
  anonymous: boolean,
  signal?: AbortSignal,
): Promise<string> {
  const res = await requestToken(ch, scope, anonymous ? undefined : creds, signal);
  if (!res.ok) {
    const why =
      res.status === 401 || res.status === 403
        ? creds
          ? 'credentials refused'
          : 'authentication required'
        : `HTTP ${res.status}`;
    throw new RuntimeError(`registry token server ${ch.params['realm']}: ${why}`);
  }
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new RuntimeError(`registry token server ${ch.params['realm']}: no token in the answer`);
  return token;
}
