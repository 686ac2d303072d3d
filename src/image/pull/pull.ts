// `pull`: reference → (index → platform) manifest → config → layers, downloaded in parallel
// (three at a time, as Docker) and unpacked while they stream, then the reference is recorded.
import { RuntimeError } from '../../common/errors.ts';
import { mapLimit } from '../../common/map-limit.ts';
import { parseReference, registryHost, type ImageReference } from '../reference.ts';
import {
  hostPlatform,
  isIndex,
  parsePlatform,
  selectPlatform,
  type ConfigFile,
  type Index,
  type Manifest,
} from '../manifest.ts';
import type { LocalImage, PullOptions, PullProgress } from '../types.ts';
import { hasBlob, putBlob, readBlob } from '../store/blobs.ts';
import type { Layout } from '../store/layout.ts';
import { ensureLayer } from '../store/ingest.ts';
import { describe, recordImage } from '../store/images.ts';
import { withActivity } from '../store/activity.ts';
import { RegistryClient, type FetchedManifest } from './registry-client.ts';
import { asConfig, asIndexOrManifest, asManifest, parseJson } from '../manifest-shape.ts';
import { MAX_CONFIG_BYTES } from './http-limits.ts';
import { credentialsFor } from './credentials.ts';
import { endpointsFor, registrySettings } from './registry-config.ts';

const PARALLEL = 3;

/** First endpoint (mirror or the registry) that has the manifest. */
async function openRepo(
  ref: ImageReference,
  opts: PullOptions,
): Promise<{ client: RegistryClient; top: FetchedManifest }> {
  const settings = registrySettings();
  const endpoints = endpointsFor(ref.domain, registryHost(ref.domain), settings);
  let lastErr: unknown;
  for (const endpoint of endpoints) {
    const client = new RegistryClient({
      endpoint,
      repo: ref.path,
      credentials: () => credentialsFor(ref.domain),
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    try {
      return { client, top: await client.manifest(ref.digest ?? ref.tag ?? 'latest') };
    } catch (err) {
      lastErr = err;
    }
  }
  const why = lastErr instanceof Error ? lastErr.message : String(lastErr);
  throw new RuntimeError(`pull ${ref.normalized}: ${why}`, { cause: lastErr });
}

async function platformManifest(
  client: RegistryClient,
  top: FetchedManifest,
  ref: ImageReference,
  opts: PullOptions,
): Promise<FetchedManifest> {
  const doc = asIndexOrManifest(
    parseJson(top.bytes, `pull ${ref.normalized}: manifest`),
    `pull ${ref.normalized}: manifest`,
  );
  if (!isIndex(doc as { mediaType?: string; manifests?: unknown })) return top;
  const want = opts.platform ? parsePlatform(opts.platform) : hostPlatform();
  const chosen = selectPlatform(doc as Index, want, `pull ${ref.normalized}`);
  return client.manifest(chosen.digest);
}

/** The config, checked; stored only once every layer is in (a failed pull leaves no blob). */
async function fetchConfig(
  l: Layout,
  client: RegistryClient,
  m: Manifest,
): Promise<{ config: ConfigFile; bytes?: Buffer }> {
  const stored = await hasBlob(l, m.config.digest);
  if (!stored && m.config.size > MAX_CONFIG_BYTES)
    throw new RuntimeError(
      `config ${m.config.digest}: ${m.config.size} bytes is more than the ${MAX_CONFIG_BYTES} gantry accepts`,
    );
  const bytes = stored ? await readBlob(l, m.config.digest) : await client.blobBytes(m.config.digest, m.config.size);
  const config = asConfig(parseJson(bytes, `config ${m.config.digest}`), `config ${m.config.digest}`);
  return stored ? { config } : { config, bytes };
}

export async function pullImage(l: Layout, refText: string, opts: PullOptions = {}): Promise<LocalImage> {
  const ref = parseReference(refText);
  const emit = (e: PullProgress): void => opts.onProgress?.(e);
  return withActivity(l, async () => {
    const { client, top } = await openRepo(ref, opts);
    const fetched = await platformManifest(client, top, ref, opts);
    const manifest = asManifest(
      parseJson(fetched.bytes, `pull ${ref.normalized}: manifest`),
      `pull ${ref.normalized}: manifest ${fetched.digest}`,
    );
    const { config, bytes: configBytes } = await fetchConfig(l, client, manifest);
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== manifest.layers.length)
      throw new RuntimeError(
        `pull ${ref.normalized}: manifest has ${manifest.layers.length} layers but the config lists ${diffIds.length} diff_ids`,
      );
    emit({ kind: 'resolved', ref: ref.normalized, manifestDigest: fetched.digest, layers: diffIds.length });
    await mapLimit(
      manifest.layers.map((d, i) => ({ d, diffId: diffIds[i]! })),
      PARALLEL,
      async ({ d, diffId }) => {
        emit({ kind: 'layer-start', digest: d.digest, size: d.size });
        const outcome = await ensureLayer(l, {
          descriptor: d,
          diffId,
          label: ref.normalized,
          fetch: async () =>
            client.blob(
              d.digest,
              (attempt, reason) => emit({ kind: 'layer-retry', digest: d.digest, attempt, reason }),
              d.size,
            ),
          onBytes: (received) => emit({ kind: 'layer-bytes', digest: d.digest, received, size: d.size }),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        emit(
          outcome === 'exists' ? { kind: 'layer-exists', digest: d.digest } : { kind: 'layer-done', digest: d.digest },
        );
      },
    );
    if (configBytes) await putBlob(l, configBytes);
    await recordImage(l, fetched.bytes, [ref.normalized]);
    const image = await describe(l, fetched.digest, [ref.normalized]);
    emit({ kind: 'done', id: image.id });
    return image;
  });
}
