// Compose `build:` services: each built by src/build from its context into the image the service
// runs (`image:`, else `<project>-<service>`) plus its `tags`. `gantry build`, `up --build` and
// `up` when a buildable service's image is missing come here. Remote (git/URL) contexts are
// refused with one line; other build keys gantry lacks are refused by requireSupported.
import { isAbsolute } from 'node:path';
import type { LocalImage } from '../../image/index.ts';
import type { Project } from '../../project/model.ts';
import { ConfigError, UnsupportedError, UsageError } from '../../common/errors.ts';
import { requireSupported } from '../../project/unsupported.ts';
import type { EngineContext } from '../context.ts';
import { buildNetwork } from '../ops/build-network.ts';
import { buildRunOptions } from '../ops/build-options.ts';
import type { EventSink } from '../events.ts';

/** build/'s step callbacks → typed build-step events (ids per service), and the optional text log. */
function stepEvents(emit: EventSink, service: string, log: ((line: string) => void) | undefined) {
  let n = 0;
  const labels = new Map<number, string>();
  return {
    start(label: string): number {
      labels.set(++n, label);
      log?.(`#${n} [${service}] ${label.replace(/^\[[^\]]*\] /, '')}`);
      emit({ kind: 'build-step', service, step: n, label, state: 'started', ms: 0 });
      return n;
    },
    output(step: number, line: string): void {
      log?.(`#${step} ${line}`);
      emit({ kind: 'build-output', service, step, line });
    },
    done(step: number, how: 'CACHED' | 'DONE', ms: number): void {
      log?.(how === 'CACHED' ? `#${step} CACHED` : `#${step} DONE ${(ms / 1000).toFixed(1)}s`);
      const label = labels.get(step) ?? '';
      emit({ kind: 'build-step', service, step, label, state: how === 'CACHED' ? 'cached' : 'done', ms });
    },
  };
}

/** `gantry build` flags as options. */
export interface BuildServicesOptions {
  readonly noCache?: boolean;
  readonly pull?: boolean;
  /** gantry build --with-dependencies: the named services' dependencies are built too. */
  readonly withDependencies?: boolean;
  /** Ctrl-C: the running step's container is deleted and the build fails (130). */
  readonly signal?: AbortSignal;
  readonly buildArgs?: ReadonlyMap<string, string>;
  /** Step lines (`#N … CACHED|DONE`) besides the build-step events; nothing when absent. */
  readonly log?: (line: string) => void;
  /** Builds of this command by service, shared so a service named by `service:` is built once. */
  readonly memo?: Map<string, Promise<LocalImage>>;
  /** The services whose build waits for this one (a `service:` cycle is an error). */
  readonly chain?: readonly string[];
}

export const imageRefOf = (project: Project, name: string): string =>
  project.services[name]!.image ?? `${project.name}-${name}`;

type BuildCtx = Pick<EngineContext, 'root' | 'project' | 'images' | 'runtime' | 'emit'>;

export function buildService(ctx: BuildCtx, name: string, o: BuildServicesOptions = {}): Promise<LocalImage> {
  const chain = o.chain ?? [];
  if (chain.includes(name)) {
    const loop = [...chain, name].join(' → ');
    return Promise.reject(new ConfigError(`service ${name}: build.additional_contexts: a service: cycle (${loop})`));
  }
  const memo = o.memo ?? new Map<string, Promise<LocalImage>>();
  let p = memo.get(name);
  if (!p) {
    p = buildOne(ctx, name, { ...o, memo, chain });
    memo.set(name, p);
  }
  return p;
}

/** additional_contexts: `service:NAME` is that service's image, built first (Compose's rule); the rest as written. */
async function namedContexts(ctx: BuildCtx, name: string, o: BuildServicesOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(ctx.project.services[name]!.build!.additional_contexts ?? {})) {
    if (!v.startsWith('service:')) {
      out.set(k, v);
      continue;
    }
    const other = v.slice('service:'.length);
    const svc = ctx.project.services[other];
    if (!svc) throw new ConfigError(`service ${name}: build.additional_contexts: ${k}: no such service: ${other}`);
    const img = svc.build
      ? await buildService(ctx, other, { ...o, chain: [...(o.chain ?? []), name] })
      : await ctx.images.resolve(imageRefOf(ctx.project, other));
    if (!img) throw new ConfigError(`service ${name}: build.additional_contexts: ${k}: service ${other} has no image`);
    out.set(k, `docker-image://${img.id}`);
  }
  return out;
}

async function buildOne(ctx: BuildCtx, name: string, o: BuildServicesOptions): Promise<LocalImage> {
  const svc = ctx.project.services[name]!;
  const b = svc.build;
  if (!b) throw new UnsupportedError(`service ${name}: has no build section`);
  requireSupported(ctx.project, [name]);
  if (!isAbsolute(b.context))
    throw new UnsupportedError(
      `service ${name}: build.context ${b.context}: git and URL contexts are not supported yet`,
    );
  const args = new Map<string, string>();
  for (const [k, v] of Object.entries(b.args ?? {})) if (v !== null) args.set(k, v);
  for (const [k, v] of o.buildArgs ?? []) args.set(k, v);
  const { buildImage, formatPlatform, hostPlatform } = await import('../../build/index.ts');
  const run = buildRunOptions(ctx.project, name, formatPlatform(hostPlatform()));
  const ref = imageRefOf(ctx.project, name);
  const contexts = await namedContexts(ctx, name, o);
  ctx.emit({ kind: 'op-start', op: 'build', target: name, cause: ref });
  const t0 = Date.now();
  const img = await buildImage({
    contextDir: b.context,
    dockerfile: b.dockerfile,
    dockerfileText: b.dockerfile_inline,
    buildArgs: args,
    target: b.target,
    labels: b.labels ?? {},
    tags: [ref, ...(b.tags ?? [])],
    noCache: o.noCache ?? b.no_cache ?? false,
    stateRoot: ctx.root,
    store: ctx.images,
    runtime: ctx.runtime,
    pull: o.pull ?? b.pull ?? false,
    namedContexts: contexts,
    ...run,
    signal: o.signal,
    network: buildNetwork(ctx.root, (message) => ctx.emit({ kind: 'warning', message })),
    progress: stepEvents(ctx.emit, name, o.log),
    warn: (message) => ctx.emit({ kind: 'warning', message: `service ${name}: ${message}` }),
  }).catch((e: unknown) => {
    ctx.emit({ kind: 'op-failed', op: 'build', target: name, error: (e as Error).message });
    // A Dockerfile error names its file and line; one without a position names the service.
    if (e instanceof ConfigError && e.position === undefined)
      throw new ConfigError(`service ${name}: build: ${e.detail}`);
    throw e;
  });
  ctx.emit({ kind: 'op-done', op: 'build', target: name, ms: Date.now() - t0 });
  return img;
}

/** `gantry build`: the named services (all when none), with their dependencies if asked; as Compose,
 *  services without `build:` are skipped and the others build side by side. */
export async function buildServices(
  ctx: EngineContext,
  services: readonly string[],
  o: BuildServicesOptions,
): Promise<{ service: string; id: string }[]> {
  const project = ctx.project;
  for (const n of services) if (!project.services[n]) throw new UsageError(`no such service: ${n}`);
  let names = services.length > 0 ? services : Object.keys(project.services);
  if (o.withDependencies && services.length > 0) {
    const { buildGraph, withDependencies } = await import('../../plan/index.ts');
    names = withDependencies(buildGraph(project), services, false);
  }
  // As Compose: services without build are skipped; the others build side by side.
  const todo = names.filter((n) => project.services[n]!.build);
  const shared = { ...o, memo: new Map() };
  const built = await Promise.allSettled(
    todo.map(async (n) => ({ service: n, id: (await buildService(ctx, n, shared)).id })),
  );
  const failed = built.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return built.map((r) => (r as PromiseFulfilledResult<{ service: string; id: string }>).value);
}
