// One repository on one registry over the OCI distribution API: manifests by tag or digest,
// blobs as streams that resume with Range after a dropped connection. Authorization is
// answered per challenge; fetch drops it on cross-origin redirects (blob storage).
import { setTimeout as sleep } from 'node:timers/promises';
import { RuntimeError } from '../../common/errors.ts';
import { sha256Of } from '../digest.ts';
import { MT } from '../manifest.ts';
import { basicHeader, fetchToken, parseChallenge } from './auth.ts';
import { asIndexOrManifest, parseJson } from '../manifest-shape.ts';
import {
  DEFAULT_TIMEOUT_MS,
  MAX_MANIFEST_BYTES,
  fetchFailure,
  readLimited,
  watchdog,
  type Watchdog,
} from './http-limits.ts';
import type { Credentials } from './credentials.ts';

const ACCEPT = [MT.ociIndex, MT.ociManifest, MT.dockerList, MT.dockerManifest].join(', ');

export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

export interface ClientOptions {
  readonly endpoint: string; // http(s)://host[:port]
  readonly repo: string;
  readonly credentials?: () => Promise<Credentials | undefined>;
  readonly signal?: AbortSignal;
  readonly retries?: number;
  /** A request that sends nothing for this long is aborted (default 30 s). */
  readonly timeoutMs?: number;
  /** Ask tokens for pull and push (image push); default pull only. */
  readonly push?: boolean;
}

/** One request: GET unless said; body made afresh per attempt (a 401 retry resends it). */
export interface SendInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: () => NonNullable<RequestInit['body']>;
  readonly signal?: AbortSignal | undefined;
}

export class RegistryClient {
  private authorization: string | undefined;
  private readonly o: ClientOptions;
  constructor(o: ClientOptions) {
    this.o = o;
  }

  private get where(): string {
    return `${this.o.endpoint}/${this.o.repo}`;
  }

  /** Answers a challenge: Basic with credentials, or a Bearer token (anonymous first). */
  private async authorize(header: string): Promise<{ upgrade?: () => Promise<void> }> {
    const ch = parseChallenge(header);
    const creds = await this.o.credentials?.();
    const scope = `repository:${this.o.repo}:${this.o.push ? 'pull,push' : 'pull'}`;
    if (ch.scheme === 'basic') {
      if (!creds) throw new RuntimeError(`${this.where}: authentication required (no credentials for this registry)`);
      this.authorization = basicHeader(creds);
      return {};
    }
    if (ch.scheme !== 'bearer')
      throw new RuntimeError(`${this.where}: unsupported authentication scheme "${ch.scheme}"`);
    const withCreds = async (): Promise<void> => {
      this.authorization = `Bearer ${await fetchToken(ch, scope, creds, false, this.o.signal)}`;
    };
    const anon = await fetchToken(ch, scope, creds, true, this.o.signal).catch((e: unknown) =>
      creds ? undefined : Promise.reject(e),
    );
    if (anon === undefined) {
      await withCreds();
      return {};
    }
    this.authorization = `Bearer ${anon}`;
    // An anonymous token may not grant pull: then retry once with the credentials.
    return creds ? { upgrade: withCreds } : {};
  }

  private watch(what: string): Watchdog {
    return watchdog(this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS, `${this.where}: ${what}`, this.o.signal);
  }

  /** GET with auth: on 401, answer the challenge and retry. */
  async request(
    path: string,
    headers: Record<string, string> = {},
    signal: AbortSignal | undefined = this.o.signal,
  ): Promise<Response> {
    return this.send(path, { headers, signal });
  }

  /** Any method with auth; `target` is a path below /v2/REPO/ or an absolute URL (an upload's Location). */
  async send(target: string, init: SendInit): Promise<Response> {
    const url = /^https?:\/\//.test(target) ? target : `${this.o.endpoint}/v2/${this.o.repo}/${target}`;
    const path = target.replace(/\?.*$/, '');
    const signal = init.signal;
    const go = (): Promise<Response> =>
      fetch(url, {
        method: init.method ?? 'GET',
        headers: { ...init.headers, ...(this.authorization ? { Authorization: this.authorization } : {}) },
        redirect: 'follow',
        ...(init.body ? { body: init.body(), duplex: 'half' as const } : {}),
        ...(signal ? { signal } : {}),
      }).catch((err: unknown) =>
        Promise.reject(
          signal?.aborted
            ? signal.reason
            : new RuntimeError(`${this.where}: ${path}: ${fetchFailure(err)}`, { cause: err }),
        ),
      );
    let res = await go();
    if (res.status !== 401) return res;
    const header = res.headers.get('www-authenticate');
    await res.body?.cancel();
    if (!header) throw new RuntimeError(`${this.where}: 401 without an authentication challenge`);
    const { upgrade } = await this.authorize(header);
    res = await go();
    if (res.status === 401 && upgrade) {
      await res.body?.cancel();
      await upgrade();
      res = await go();
    }
    if (res.status === 401) {
      await res.body?.cancel();
      const hasCreds = (await this.o.credentials?.()) !== undefined;
      throw new RuntimeError(
        `${this.where}: authentication failed${hasCreds ? ' (credentials refused)' : ' (no credentials for this registry)'}`,
      );
    }
    return res;
  }

  async manifest(reference: string): Promise<FetchedManifest> {
    // A manifest is small: it must arrive whole within one timeout.
    const w = this.watch(`manifest ${reference}`);
    try {
      return await this.manifestWithin(reference, w.signal);
    } catch (err) {
      throw w.signal.aborted && !(err instanceof RuntimeError) ? w.signal.reason : err;
    } finally {
      w.done();
    }
  }

  private async manifestWithin(reference: string, signal: AbortSignal): Promise<FetchedManifest> {
    const res = await this.request(`manifests/${reference}`, { Accept: ACCEPT }, signal);
    if (res.status === 404) {
      await res.body?.cancel();
      throw new RuntimeError(`${this.where}: manifest ${reference} not found`, { exitCode: 1 });
    }
    if (!res.ok) throw new RuntimeError(`${this.where}: manifest ${reference}: HTTP ${res.status}`);
    const what = `${this.where}: manifest ${reference}`;
    const bytes = await readLimited(res, MAX_MANIFEST_BYTES, what).catch((err: unknown) =>
      Promise.reject(
        signal.aborted
          ? signal.reason
          : err instanceof RuntimeError
            ? err
            : new RuntimeError(`${what}: ${fetchFailure(err)}`),
      ),
    );
    const digest = sha256Of(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RuntimeError(`${this.where}: manifest digest mismatch: asked for ${reference}, got ${digest}`);
    }
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const served = mediaType && !/json/.test(mediaType) ? ` (served as ${mediaType})` : '';
    const parsed = asIndexOrManifest(parseJson(bytes, `${what}${served}`), what) as { mediaType?: string };
    return { bytes, digest, mediaType: parsed.mediaType ?? mediaType };
  }

  async blobBytes(digest: string, size?: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.blob(digest, undefined, size)) chunks.push(c);
    const data = Buffer.concat(chunks);
    if (sha256Of(data) !== digest) throw new RuntimeError(`${this.where}: blob ${digest}: digest mismatch`);
    return data;
  }

  /** The blob's bytes; transient failures retry and resume from the last byte received. More
   *  than `size` bytes (when given) is an error: an endless body must not fill the disk. */
  async *blob(
    digest: string,
    onRetry?: (attempt: number, reason: string) => void,
    size?: number,
  ): AsyncGenerator<Buffer> {
    let got = 0;
    const retries = this.o.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const w = this.watch(`blob ${digest}`);
      try {
        const res = await this.request(`blobs/${digest}`, got > 0 ? { Range: `bytes=${got}-` } : {}, w.signal);
        if (!res.ok || !res.body) {
          await res.body?.cancel();
          const err = new RuntimeError(`${this.where}: blob ${digest}: HTTP ${res.status}`);
          if (res.status < 500 && res.status !== 429) throw Object.assign(err, { permanent: true });
          throw err;
        }
        let skip = got > 0 && res.status === 200 ? got : 0; // server ignored Range: drop what we have
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          let b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          if (skip > 0) {
            const s = Math.min(skip, b.length);
            skip -= s;
            b = b.subarray(s);
            if (b.length === 0) continue;
          }
          got += b.length;
          w.touch();
          if (size !== undefined && got > size) {
            throw Object.assign(
              new RuntimeError(`${this.where}: blob ${digest}: more than the ${size} bytes the manifest says`),
              { permanent: true },
            );
          }
          yield b;
        }
        return;
      } catch (caught) {
        const err =
          w.signal.aborted && !this.o.signal?.aborted
            ? w.signal.reason
            : caught instanceof RuntimeError
              ? caught
              : new RuntimeError(`${this.where}: blob ${digest}: ${fetchFailure(caught)}`, { cause: caught });
        if (
          (err as { permanent?: boolean }).permanent ||
          (caught as { permanent?: boolean }).permanent ||
          this.o.signal?.aborted ||
          attempt >= retries
        )
          throw err;
        onRetry?.(attempt + 1, err instanceof Error ? err.message : String(err));
        await sleep(200 * 2 ** attempt);
      } finally {
        w.done();
      }
    }
  }
}
