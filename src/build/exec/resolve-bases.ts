// The images a build starts from (FROM, COPY --from=IMAGE, RUN --mount from=IMAGE) and its named
// contexts, each as {id, layers, config} under the name the Dockerfile uses. A base missing from
// the store is pulled (every base with --pull), as Docker does; a named context wins over an image
// of the same name.
import type { ImageStore } from '../../image/index.ts';
import { UsageError } from '../../common/errors.ts';
import { baseKey } from '../cache/cache-key.ts';
import { dirContext, type DirContextEnv, type NamedContext, type NamedSource } from './named-contexts.ts';

async function image(store: ImageStore, ref: string, pull: boolean, what: string): Promise<NamedSource> {
  let d = pull ? undefined : await store.documents(ref);
  if (!d) {
    await store.pull(ref).catch((e: unknown) => {
      throw new UsageError(`image build: ${what}: cannot pull it: ${(e as Error).message.split('\n')[0]}`);
    });
    d = await store.documents(ref);
  }
  if (!d) throw new UsageError(`image build: ${what} is not in the local store (gantry image pull ${ref})`);
  return { id: d.image.id, layers: d.layers, config: d.config };
}

export async function resolveBases(
  want: ReadonlySet<string>,
  named: ReadonlyMap<string, NamedContext>,
  pull: boolean,
  env: DirContextEnv,
): Promise<Map<string, NamedSource>> {
  const out = new Map<string, NamedSource>();
  for (const ref of want) {
    const n = named.get(ref.toLowerCase());
    if (n === undefined) out.set(ref, await image(env.store, ref, pull, `base image ${ref}`));
    else if (n.kind === 'image') out.set(ref, await image(env.store, n.ref, pull, `build context ${ref} (${n.ref})`));
    else if (n.kind === 'dir') out.set(ref, await dirContext(env, ref, n.path));
    else out.set(ref, { id: baseKey({ kind: 'scratch' }), layers: [], config: { config: {} } });
  }
  return out;
}
