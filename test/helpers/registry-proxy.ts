// An HTTP proxy in front of a test registry on 127.0.0.1: counts requests per path (to prove
// "one download per layer") and can demand Bearer tokens from its own token endpoint, so the
// WWW-Authenticate challenge → token → retry flow runs against a real registry behind it.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryProxy {
  readonly host: string;
  readonly hits: Map<string, number>; // "GET /v2/..." → count
  readonly tokenRequests: { auth: string | undefined; scope: string | null }[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Demand Bearer tokens; when creds is set the token endpoint also demands Basic creds. */
  readonly bearer?: { readonly creds?: { readonly username: string; readonly password: string } };
}

export async function startRegistryProxy(upstream: string, opts: ProxyOptions = {}): Promise<RegistryProxy> {
  const hits = new Map<string, number>();
  const tokenRequests: { auth: string | undefined; scope: string | null }[] = [];
  const token = `tok-${process.pid}-${Date.now()}`;
  let self = '';
  const onToken = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', `http://${self}`);
    tokenRequests.push({ auth: req.headers.authorization, scope: url.searchParams.get('scope') });
    const c = opts.bearer?.creds;
    const want = c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
    if (want && req.headers.authorization !== want) {
      res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
  };
  const server = createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    if (req.url?.startsWith('/token')) return onToken(req, res);
    if (opts.bearer && req.headers.authorization !== `Bearer ${token}`) {
      const repo = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(req.url ?? '')?.[1];
      const scope = repo ? `,scope="repository:${repo}:pull"` : '';
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${self}/token",service="gantry-test"${scope}` }).end();
      return;
    }
    const { authorization: _drop, ...headers } = req.headers;
    const up = request({ host: upstream.split(':')[0], port: Number(upstream.split(':')[1]), method: req.method, path: req.url, headers: { ...headers, host: upstream } }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host: self, hits, tokenRequests,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
