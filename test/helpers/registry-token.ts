// A token server for docker-registry's `auth.token` mode: checks Basic credentials (anonymous
// gets pull only when allowAnonymous) and issues RS256 JWTs whose x5c header carries a
// self-signed cert the registry trusts through its rootcertbundle (both made with openssl).
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly certFile: string;
  readonly requests: { basic: boolean; scope: string | null }[];
  close(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export async function startTokenServer(
  dir: string,
  creds: { username: string; password: string },
  allowAnonymous = false,
): Promise<TokenServer> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=gantry-test-token',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyFile));
  const der = new X509Certificate(readFileSync(certFile)).raw;
  const service = 'gantry-test-registry';
  const issuer = 'gantry-test-issuer';
  const requests: { basic: boolean; scope: string | null }[] = [];
  const good = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.get('scope');
    const basic = req.headers.authorization !== undefined;
    requests.push({ basic, scope });
    if ((basic && req.headers.authorization !== good) || (!basic && !allowAnonymous)) {
      res.writeHead(401).end('{"details":"unauthorized"}');
      return;
    }
    const [type, name, actions] = (scope ?? '').split(':');
    const granted = basic ? (actions ?? '').split(',').filter(Boolean) : ['pull'];
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] };
    const claims = {
      iss: issuer,
      sub: basic ? creds.username : '',
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: `${now}-${requests.length}`,
      access: type && name ? [{ type, name, actions: granted }] : [],
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    realm,
    service,
    issuer,
    certFile,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
