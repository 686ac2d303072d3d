// Image reference grammar and Docker's normalization (`busybox` → docker.io/library/busybox:latest).
// Our own reading of the distribution/reference grammar; the rules are kept in the regexes below.
import { UsageError } from '../common/errors.ts';

export interface ImageReference {
  /** Registry host as written (docker.io for Docker Hub), with :port when given. */
  readonly domain: string;
  /** Repository path inside the registry, e.g. library/busybox. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** domain/path, e.g. docker.io/library/busybox. */
  readonly name: string;
  /** The normalized reference string used as the store key: name@digest, else name:tag. */
  readonly normalized: string;
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function invalid(ref: string, why: string): UsageError {
  return new UsageError(`invalid image reference "${ref}": ${why}`);
}

/** Splits off the registry the way Docker does: a first component with '.', ':' or "localhost". */
function splitDomain(ref: string, name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isDomain =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  let domain = isDomain ? first : DEFAULT_DOMAIN;
  const path = isDomain ? name.slice(slash + 1) : name;
  if (!DOMAIN.test(domain)) throw invalid(ref, `bad registry host "${domain}"`);
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  return { domain, path: domain === DEFAULT_DOMAIN && !path.includes('/') ? `library/${path}` : path };
}

function splitTagDigest(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  let rest = at >= 0 ? ref.slice(0, at) : ref;
  // A ':' after the last '/' is a tag; before it, it is a registry port.
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Parses and normalizes a reference exactly as `docker pull` reads it; throws UsageError. */
export function parseReference(ref: string): ImageReference {
  if (ref.length === 0) throw invalid(ref, 'empty');
  if (HEX64.test(ref)) throw invalid(ref, 'cannot specify 64-byte hexadecimal strings');
  const { name: rawName, tag, digest } = splitTagDigest(ref);
  if (rawName.length === 0) throw invalid(ref, 'missing repository name');
  if (tag !== undefined && !TAG.test(tag)) throw invalid(ref, `bad tag "${tag}"`);
  if (digest !== undefined && !DIGEST.test(digest)) throw invalid(ref, `bad digest "${digest}"`);
  if (digest !== undefined && digest.startsWith('sha256:') && !SHA256.test(digest)) {
    throw invalid(ref, `bad sha256 digest "${digest}"`);
  }
  const { domain, path } = splitDomain(ref, rawName);
  if (path !== path.toLowerCase()) throw invalid(ref, 'repository name must be lowercase');
  for (const c of path.split('/')) if (!PATH_COMPONENT.test(c)) throw invalid(ref, `bad path component "${c}"`);
  const name = `${domain}/${path}`;
  if (name.length > 255) throw invalid(ref, 'repository name longer than 255 characters');
  const finalTag = tag ?? (digest === undefined ? 'latest' : undefined);
  const normalized = digest !== undefined ? `${name}@${digest}` : `${name}:${finalTag}`;
  return {
    domain,
    path,
    name,
    normalized,
    ...(finalTag !== undefined ? { tag: finalTag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Docker's short form for display: drops docker.io/ and library/. */
export function familiarName(normalized: string): string {
  let s = normalized;
  if (s.startsWith(`${DEFAULT_DOMAIN}/`)) s = s.slice(DEFAULT_DOMAIN.length + 1);
  if (s.startsWith('library/') && !s.slice(8).includes('/')) s = s.slice(8);
  return s;
}

/** Registry API host for a domain: Docker Hub's API lives on registry-1.docker.io. */
export function registryHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : domain;
}
