// A misbehaving registry on 127.0.0.1 for pull tests: the repository name picks the fault
// (wrong content type, broken JSON, wrong digest, truncated body, 500s, redirect loops, a body
// that never ends or stalls). "ok" serves a valid one-layer image. close() ends every socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { validImage } from './image-archives.ts';

const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface FakeRegistry {
  readonly host: string;
  readonly manifestDigest: string;
  close(): Promise<void>;
}

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  kind: 'manifest' | 'config' | 'layer',
  body: Buffer,
) => boolean;

const send = (res: ServerResponse, status: number, body: Buffer | string, type = 'application/octet-stream'): void => {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

// Each fault answers one kind of request its own way; returning false serves the normal answer.
const FAULTS: Record<string, Handler> = {
  'manifest-html': (_q, res, kind) =>
    kind === 'manifest' && (send(res, 200, '<html><body>Welcome</body></html>', 'text/html'), true),
  'manifest-broken-json': (_q, res, kind) =>
    kind === 'manifest' && (send(res, 200, '{"schemaVersion": 2, "config": ', OCI_MANIFEST), true),
  'manifest-wrong-types': (_q, res, kind) =>
    kind === 'manifest' && (send(res, 200, '{"schemaVersion": 2, "config": "x", "layers": {}}', OCI_MANIFEST), true),
  'manifest-null': (_q, res, kind) => kind === 'manifest' && (send(res, 200, 'null', OCI_MANIFEST), true),
  'manifest-500': (_q, res, kind) => kind === 'manifest' && (send(res, 500, 'oops'), true),
  'manifest-404': (_q, res, kind) =>
    kind === 'manifest' && (send(res, 404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', 'application/json'), true),
  'manifest-huge': (_q, res, kind) =>
    kind === 'manifest' && (send(res, 200, `{"x": "${'a'.repeat(20 * 1024 * 1024)}"}`, OCI_MANIFEST), true),
  'manifest-truncated': (_q, res, kind, body) =>
    kind === 'manifest' &&
    (res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': body.length }),
    res.write(body.subarray(0, 20)),
    res.destroy(),
    true),
  'manifest-redirect-loop': (req, res, kind) =>
    kind === 'manifest' && (res.writeHead(302, { location: req.url! }), res.end(), true),
  'manifest-endless-slow': (_q, res, kind) => {
    if (kind !== 'manifest') return false;
    res.writeHead(200, { 'content-type': OCI_MANIFEST });
    res.write('{"a": "');
    const timer = setInterval(() => res.write('a'), 100);
    res.on('close', () => clearInterval(timer));
    return true;
  },
  'manifest-stall': (_q, res, kind) =>
    kind === 'manifest' && (res.writeHead(200, { 'content-type': OCI_MANIFEST }), res.write('{'), true),
  'manifest-no-platform': (_q, res, kind, body) =>
    kind === 'manifest' &&
    (send(
      res,
      200,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: sha(body),
            size: body.length,
            platform: { os: 'plan9', architecture: 'mips' },
          },
        ],
      }),
      'application/vnd.oci.image.index.v1+json',
    ),
    true),
  'auth-no-challenge': (_q, res, kind) => kind === 'manifest' && (send(res, 401, 'no'), true),
  'auth-odd-challenge': (_q, res, kind) =>
    kind === 'manifest' && (res.writeHead(401, { 'www-authenticate': 'Negotiate xyz' }), res.end(), true),
  'config-wrong-digest': (_q, res, kind, body) =>
    kind === 'config' && (send(res, 200, Buffer.concat([body.subarray(0, -1), Buffer.from(' ')])), true),
  'config-500': (_q, res, kind) => kind === 'config' && (send(res, 500, 'oops'), true),
  'layer-wrong-digest': (_q, res, kind, body) =>
    kind === 'layer' && (send(res, 200, Buffer.concat([body.subarray(0, -1), Buffer.from('x')])), true),
  'layer-500': (_q, res, kind) => kind === 'layer' && (send(res, 500, 'oops'), true),
  'layer-404': (_q, res, kind) => kind === 'layer' && (send(res, 404, 'gone'), true),
  'layer-truncated': (_q, res, kind, body) =>
    kind === 'layer' &&
    (res.writeHead(200, { 'content-length': body.length }), res.write(body.subarray(0, 700)), res.destroy(), true),
  'layer-redirect-loop': (req, res, kind) =>
    kind === 'layer' && (res.writeHead(307, { location: req.url! }), res.end(), true),
  'layer-endless': (_q, res, kind) => {
    if (kind !== 'layer') return false;
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
    res.on('close', () => clearInterval(timer));
    return true;
  },
  'layer-stall': (_q, res, kind, body) =>
    kind === 'layer' && (res.writeHead(200, { 'content-length': body.length }), res.write(body.subarray(0, 10)), true),
};

export const FAULT_NAMES = Object.keys(FAULTS);

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const img = validImage('pulled\n');
  const manifestDigest = sha(img.manifest);
  const blobs = new Map<string, { kind: 'config' | 'layer'; body: Buffer }>([
    [sha(img.config), { kind: 'config', body: img.config }],
    [sha(img.layer), { kind: 'layer', body: img.layer }],
  ]);
  const server = createServer((req, res) => {
    const m = /^\/v2\/([^/]+)\/(manifests|blobs)\/(.+)$/.exec(req.url ?? '');
    if (!m) return send(res, req.url === '/v2/' ? 200 : 404, '{}', 'application/json');
    const [, repo, what, ref] = m as unknown as [string, string, string, string];
    const blob = what === 'blobs' ? blobs.get(ref) : undefined;
    const kind = what === 'manifests' ? 'manifest' : blob?.kind;
    if (!kind) return send(res, 404, 'unknown');
    const body = kind === 'manifest' ? img.manifest : blob!.body;
    if (FAULTS[repo]?.(req, res, kind, body)) return;
    send(res, 200, body, kind === 'manifest' ? OCI_MANIFEST : 'application/octet-stream');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    manifestDigest,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
