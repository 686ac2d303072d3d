// ADD of an http(s) URL: downloaded once per build into the private scratch dir (the step's
// cache key is the content's digest, or the --checksum given, so an unchanged file hits the
// cache), checked against --checksum (sha256:HEX, as BuildKit), named after the URL's last path
// part. Git sources are refused clearly: gantry has no git fetcher.
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

export interface Fetched {
  readonly file: string;
  readonly digest: string;
  /** The file name ADD gives it in a directory destination. */
  readonly name: string;
  readonly mtime: Date | undefined;
}

export const isUrl = (src: string): boolean => /^https?:\/\//i.test(src);
export const isGit = (src: string): boolean => /^git:\/\/|^git@|^ssh:\/\/|\.git(#.*)?$/i.test(src);

export function refuseGit(kind: string, src: string): void {
  if (isGit(src))
    throw new Error(`${kind} ${src}: git sources are not supported; clone it into the context or in a RUN`);
  if (kind === 'COPY' && isUrl(src)) throw new Error(`COPY ${src}: source can't be a URL for COPY (use ADD)`);
}

export function checksumDigest(checksum: string): string {
  const m = /^sha256:([0-9a-f]{64})$/i.exec(checksum);
  if (!m) throw new Error(`invalid --checksum=${checksum}: use sha256:<64 hex digits>`);
  return `sha256:${m[1]!.toLowerCase()}`;
}

export function checkDigest(url: string, checksum: string, digest: string): void {
  const want = checksumDigest(checksum);
  if (want !== digest) throw new Error(`ADD ${url}: digest mismatch: expected ${want}, got ${digest}`);
}

export async function fetchUrl(url: string, scratch: string, checksum: string | undefined): Promise<Fetched> {
  const res = await fetch(url, { redirect: 'follow' }).catch((e: unknown) => {
    throw new Error(`ADD ${url}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
  });
  if (!res.ok) throw new Error(`ADD ${url}: HTTP ${res.status} ${res.statusText}`);
  const body = Buffer.from(await res.arrayBuffer());
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (checksum !== undefined) checkDigest(url, checksum, digest);
  const file = join(scratch, `url-${process.pid}-${randomBytes(4).toString('hex')}`);
  await writeFile(file, body, { mode: 0o600 });
  const modified = res.headers.get('last-modified');
  const name = posix.basename(new URL(res.url || url).pathname) || 'index.html';
  return { file, digest, name, mtime: modified ? new Date(modified) : undefined };
}
