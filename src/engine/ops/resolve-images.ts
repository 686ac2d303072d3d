// Every service's image, resolved before planning (docker/compose ensures images first): local
// first, else pulled per pull_policy (missing by default; always; never → error; build →
// built when missing, or always with up --build).
// A reference many services share is looked up in the store once: each lookup reads index.json,
// the manifest, the config and every layer's size (6 files, 3 JSON parses for the test image), so
// 60 services of one image made 360 reads where 6 do (issue 20, bench/RESULTS.md "big10").
import type { ImageStore, LocalImage } from '../../image/index.ts';
import type { Project } from '../../project/model.ts';
import { RuntimeError, UnsupportedError } from '../../common/errors.ts';
import type { EventSink } from '../events.ts';

export async function resolveImages(
  images: ImageStore,
  project: Project,
  services: readonly string[],
  o: {
    pull?: string;
    emit: EventSink;
    signal?: AbortSignal;
    build?: (service: string) => Promise<LocalImage>;
    forceBuild?: boolean;
  },
): Promise<Map<string, LocalImage>> {
  const out = new Map<string, LocalImage>();
  const lookups = new Map<string, Promise<LocalImage | undefined>>();
  const local = (ref: string): Promise<LocalImage | undefined> => {
    let found = lookups.get(ref);
    if (found === undefined) lookups.set(ref, (found = images.resolve(ref)));
    return found;
  };
  await Promise.all(
    services.map(async (name) => {
      const svc = project.services[name]!;
      const ref = svc.image ?? `${project.name}-${name}`;
      const policy = o.pull ?? svc.pull_policy ?? (svc.build ? 'build' : 'missing');
      if (svc.build && o.build && (o.forceBuild || policy === 'build')) {
        const always = o.forceBuild === true || svc.pull_policy === 'build'; // pull_policy: build always builds
        const built = always || !(await images.resolve(ref)) ? await o.build(name) : await images.resolve(ref);
        out.set(name, built!);
        return;
      }
      let img = policy === 'always' ? undefined : await local(ref);
      if (!img && svc.build && o.build && policy === 'missing') img = await o.build(name);
      if (!img) {
        if (policy === 'never')
          throw new RuntimeError(`service ${name}: image ${ref} is not present and pull_policy is never`);
        if (policy === 'build')
          throw new UnsupportedError(`service ${name}: build is not supported yet (image ${ref} is not present)`);
        o.emit({ kind: 'pull', service: name, image: ref });
        const t0 = performance.now();
        try {
          img = await images.pull(ref, {
            ...(o.signal ? { signal: o.signal } : {}),
            ...(svc.platform ? { platform: svc.platform } : {}),
          });
        } catch (e) {
          o.emit({ kind: 'op-failed', op: 'pull', target: ref, error: (e as Error).message });
          throw e;
        }
        o.emit({ kind: 'op-done', op: 'pull', target: ref, ms: Math.round(performance.now() - t0) });
      }
      out.set(name, img);
    }),
  );
  return out;
}
