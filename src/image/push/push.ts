// `image push`: a local image to an OCI registry — every blob the registry lacks (HEAD first, so
// a second push sends none), uploaded in one PUT each (POST for the session, then PUT ?digest=),
// then the manifest under the tag; its digest is what the registry answers with. Credentials and
// tokens as pull gets them (~/.docker/config.json; token scope pull,push); no mirrors: a push goes
// to the registry the reference names.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { RuntimeError, UsageError } from '../../common/errors.ts';
import { parseReference, registryHost } from '../reference.ts';
import { MT, type Descriptor, type Manifest } from '../manifest.ts';
import type { PushOptions, PushResult } from '../types.ts';
import { readBlob } from '../store/blobs.ts';
import { blobPath, type Layout } from '../store/layout.ts';
import { findEntries } from '../store/images.ts';
import { RegistryClient } from '../pull/registry-client.ts';
import { credentialsFor } from '../pull/credentials.ts';
import { endpointsFor, registrySettings } from '../pull/registry-config.ts';
import { sha256Of } from '../digest.ts';

const PARALLEL = 3;

async function hasRemoteBlob(client: RegistryClient, d: Descriptor): Promise<boolean> {
  const res = await client.send(`blobs/${d.digest}`, { method: 'HEAD' });
  await res.body?.cancel();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw new RuntimeError(`blob ${d.digest}: HEAD answered HTTP ${res.status}`);
}

async function upload(l: Layout, client: RegistryClient, d: Descriptor): Promise<void> {
  const start = await client.send('blobs/uploads/', { method: 'POST', headers: { 'Content-Length': '0' } });
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (start.status !== 202 || !location)
    throw new RuntimeError(`blob ${d.digest}: starting the upload answered HTTP ${start.status}`);
  const url = new URL(location, start.url);
  url.searchParams.set('digest', d.digest);
  const put = await client.send(url.href, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(d.size) },
    body: () => Readable.toWeb(createReadStream(blobPath(l, d.digest))) as ReadableStream<Uint8Array>,
  });
  const why = put.status === 201 ? '' : (await put.text().catch(() => '')).slice(0, 200);
  if (put.status !== 201) throw new RuntimeError(`blob ${d.digest}: upload answered HTTP ${put.status} ${why}`.trim());
}

async function eachLimited<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

export async function pushImage(l: Layout, refText: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = parseReference(refText);
  const local = await findEntries(l, refText);
  if (!local) throw new UsageError(`image push: no such image: ${refText}`);
  const bytes = await readBlob(l, local.image.manifestDigest);
  const manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  const settings = registrySettings();
  const endpoint = endpointsFor(ref.domain, registryHost(ref.domain), { ...settings, mirrors: {} }).at(-1)!;
  const client = new RegistryClient({
    endpoint,
    repo: ref.path,
    push: true,
    credentials: () => credentialsFor(ref.domain),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const fail = (e: unknown): never => {
    throw new RuntimeError(`push ${ref.normalized}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  };
  let sent = 0;
  await eachLimited([...manifest.layers, manifest.config], async (d) => {
    if (await hasRemoteBlob(client, d)) return opts.onProgress?.({ kind: 'blob-exists', digest: d.digest });
    opts.onProgress?.({ kind: 'blob-start', digest: d.digest, size: d.size });
    await upload(l, client, d);
    sent++;
    opts.onProgress?.({ kind: 'blob-done', digest: d.digest, size: d.size });
  }).catch(fail);
  const tag = ref.digest ?? ref.tag ?? 'latest';
  const res = await client
    .send(`manifests/${tag}`, {
      method: 'PUT',
      headers: { 'Content-Type': manifest.mediaType ?? MT.ociManifest },
      body: () => bytes,
    })
    .catch(fail);
  const why = res.status === 201 ? '' : (await res.text().catch(() => '')).slice(0, 200);
  if (res.status !== 201) fail(new Error(`manifest ${tag}: HTTP ${res.status} ${why}`.trim()));
  const digest = sha256Of(bytes);
  const answered = res.headers.get('docker-content-digest');
  if (answered && answered !== digest)
    fail(new Error(`the registry stored the manifest as ${answered}, not ${digest}`));
  return {
    ref: ref.normalized,
    tag,
    digest,
    size: bytes.length,
    blobsSent: sent,
    blobsTotal: manifest.layers.length + 1,
  };
}
