// An HTTP proxy in front of a test registry on 127.0.0.1: counts requests per path (to prove
// "one download per layer") and can demand Bearer tokens from its own token endpoint, so the
// WWW-Authenticate challenge → token → retry flow runs against a real registry behind it.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryProxy {
  readonly host: string;
  readonly hits: Map<string, number>; // "GET /v2/..." → count
  readonly authHeaders: (string | undefined)[]; // Authorization of every /v2/ request, in order
  readonly tokenRequests: { auth: string | undefined; scope: string | null }[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Demand Bearer tokens; when creds is set the token endpoint also demands Basic creds. */
  readonly bearer?: { readonly creds?: { readonly username: string; readonly password: string } };
  /** Answer blob GETs with a 307 to this host (another proxy), as registries send to storage. */
  readonly redirectBlobsTo?: string;
  /** Cut the connection after this many bytes of the first response of each blob. */
  readonly dropBlobAfter?: number;
  /** Send blob headers and this many bytes, then hang (to kill a puller mid-download). */
  readonly stallBlobAfter?: number;
}

const isBlob = (url: string | undefined): boolean => /^\/v2\/.+\/blobs\/sha256:/.test(url ?? '');

/** Passes an upstream blob body through, but only its first limit bytes; then cuts or hangs. */
function limited(ur: IncomingMessage, res: ServerResponse, limit: number, cut: boolean): void {
  let sent = 0;
  ur.on('data', (c: Buffer) => {
    if (sent >= limit) return;
    const part = c.subarray(0, limit - sent);
    sent += part.length;
    res.write(part);
    if (sent >= limit) {
      ur.destroy();
      if (cut) res.destroy();
    }
  });
  ur.on('end', () => res.end());
}

export async function startRegistryProxy(upstream: string, opts: ProxyOptions = {}): Promise<RegistryProxy> {
  const hits = new Map<string, number>();
  const authHeaders: (string | undefined)[] = [];
  const dropped = new Set<string>();
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
    authHeaders.push(req.headers.authorization);
    if (opts.bearer && req.headers.authorization !== `Bearer ${token}`) {
      const repo = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(req.url ?? '')?.[1];
      const scope = repo ? `,scope="repository:${repo}:pull"` : '';
      res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://${self}/token",service="gantry-test"${scope}` })
        .end();
      return;
    }
    if (opts.redirectBlobsTo && isBlob(req.url)) {
      res.writeHead(307, { location: `http://${opts.redirectBlobsTo}${req.url}` }).end();
      return;
    }
    const { authorization: _drop, ...headers } = req.headers;
    const up = request(
      {
        host: upstream.split(':')[0],
        port: Number(upstream.split(':')[1]),
        method: req.method,
        path: req.url,
        headers: { ...headers, host: upstream },
      },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        const firstTime = !dropped.has(req.url ?? '');
        if (isBlob(req.url) && opts.stallBlobAfter !== undefined) return limited(ur, res, opts.stallBlobAfter, false);
        if (isBlob(req.url) && opts.dropBlobAfter !== undefined && firstTime && req.method === 'GET') {
          dropped.add(req.url ?? '');
          return limited(ur, res, opts.dropBlobAfter, true);
        }
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host: self,
    hits,
    tokenRequests,
    authHeaders,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
