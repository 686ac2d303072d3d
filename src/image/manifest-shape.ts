// Image documents (index, manifest, config) read from archives and registries are untrusted:
// each is parsed and its shape checked here, so broken JSON or a field of the wrong type becomes
// one clear RuntimeError naming the document, never a TypeError deep in the store.
import { RuntimeError } from '../common/errors.ts';
import type { ConfigFile, Descriptor, Index, Manifest } from './manifest.ts';
import { isIndex } from './manifest.ts';
import { configProblem } from './image-config.ts';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text → value; `what` names the document in the error ("image load: index.json"). */
export function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (err) {
    throw new RuntimeError(`${what}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function bad(what: string, detail: string): never {
  throw new RuntimeError(`${what}: ${detail}`);
}

export function asDigest(v: unknown, what: string): string {
  if (typeof v !== 'string' || !DIGEST.test(v))
    bad(what, `${JSON.stringify(v)?.slice(0, 80) ?? 'nothing'} is not a sha256 digest`);
  return v;
}

export function asDescriptor(v: unknown, what: string): Descriptor {
  if (!isObj(v)) bad(what, 'must be a descriptor (a mapping with digest and size)');
  asDigest(v['digest'], `${what}.digest`);
  if (typeof v['size'] !== 'number' || !Number.isSafeInteger(v['size']) || v['size'] < 0)
    bad(`${what}.size`, 'must be a non-negative integer');
  if (v['mediaType'] !== undefined && typeof v['mediaType'] !== 'string') bad(`${what}.mediaType`, 'must be a string');
  return v as unknown as Descriptor;
}

const descriptors = (v: unknown, what: string): Descriptor[] => {
  if (!Array.isArray(v)) bad(what, 'must be a list of descriptors');
  return v.map((d, i) => asDescriptor(d, `${what}[${i}]`));
};

/** An image index or a single-image manifest, checked field by field. */
export function asIndexOrManifest(v: unknown, what: string): Index | Manifest {
  if (!isObj(v)) bad(what, 'must be a JSON object');
  if (v['mediaType'] !== undefined && typeof v['mediaType'] !== 'string') bad(`${what}.mediaType`, 'must be a string');
  if (v['manifests'] !== undefined && !Array.isArray(v['manifests']))
    bad(`${what}.manifests`, 'must be a list of descriptors');
  if (isIndex(v as { mediaType?: string; manifests?: unknown })) {
    descriptors(v['manifests'], `${what}.manifests`);
    return v as unknown as Index;
  }
  if (v['config'] === undefined && v['layers'] === undefined)
    bad(what, `unsupported manifest type ${JSON.stringify(v['mediaType'] ?? 'none')}`);
  asDescriptor(v['config'], `${what}.config`);
  descriptors(v['layers'], `${what}.layers`);
  return v as unknown as Manifest;
}

export function asManifest(v: unknown, what: string): Manifest {
  const doc = asIndexOrManifest(v, what);
  if (isIndex(doc as { mediaType?: string; manifests?: unknown }))
    bad(what, 'is an index where an image manifest was expected');
  return doc as Manifest;
}

/** An image config: only the fields gantry reads are checked (rootfs.diff_ids above all). */
export function asConfig(v: unknown, what: string): ConfigFile {
  if (!isObj(v)) bad(what, 'must be a JSON object');
  const rootfs = v['rootfs'];
  if (rootfs !== undefined && !isObj(rootfs)) bad(`${what}.rootfs`, 'must be a mapping');
  const ids = rootfs?.['diff_ids'];
  if (ids !== undefined && !Array.isArray(ids)) bad(`${what}.rootfs.diff_ids`, 'must be a list of digests');
  (ids ?? []).forEach((d: unknown, i: number) => asDigest(d, `${what}.rootfs.diff_ids[${i}]`));
  if (v['config'] !== undefined && v['config'] !== null && !isObj(v['config']))
    bad(`${what}.config`, 'must be a mapping');
  const problem = configProblem(v['config']);
  if (problem) bad(what, problem);
  return v as ConfigFile;
}
