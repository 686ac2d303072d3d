// Substitution over the stages a build needs, with Docker's scoping: a stage starts from its base
// (image config or earlier stage) with no ARGs; `ARG X` without a default takes --build-arg X or
// the global X; ENV wins over ARG; the base's ONBUILD triggers run first. Pure: the executor
// passes what it knows of base images.
import { DockerfileError, errorText } from '../dockerfile/errors.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import type { Dockerfile, StageInstruction } from '../dockerfile/types.ts';
import { formatPlatform, hostPlatform, platformArgs, PROXY_ARGS, samePlatform, type Platform } from './build-args.ts';
import { globalScope, substituteGlobal, type GlobalScope } from './global-args.ts';
import { initialState, nextState, runEnvironment, substitutionEnv } from './stage-state.ts';
import { Substituter, substituteInstruction } from './substitute-instruction.ts';
import type { BaseImageConfig, ResolvedStage, ResolvedStep, StageBase, StageState } from './types.ts';

export interface ResolveOptions {
  readonly buildArgs?: ReadonlyMap<string, string>;
  readonly platform?: Platform;
  /** The stages to resolve (the target's closure, from the stage graph); all when absent. */
  readonly stages?: ReadonlySet<number>;
  readonly baseImage?: (ref: string) => BaseImageConfig | undefined;
}

export interface ResolvedBuild {
  readonly stages: readonly (ResolvedStage | undefined)[];
  readonly global: GlobalScope;
  /** --build-arg names no ARG of a resolved stage (nor the global scope) declared. */
  readonly unusedBuildArgs: readonly string[];
}

interface Ctx {
  readonly df: Dockerfile;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly global: GlobalScope;
  readonly platform: Platform;
  readonly consumed: Set<string>;
}

export function resolveDockerfile(df: Dockerfile, opts: ResolveOptions = {}): ResolvedBuild {
  const buildArgs = opts.buildArgs ?? new Map<string, string>();
  const platform = opts.platform ?? hostPlatform();
  const global = globalScope(df, buildArgs, platform);
  const ctx: Ctx = { df, buildArgs, global, platform, consumed: new Set(global.declared.keys()) };
  const out: (ResolvedStage | undefined)[] = [];
  for (const stage of df.stages) {
    if (opts.stages && !opts.stages.has(stage.index)) {
      out.push(undefined);
      continue;
    }
    const from = stage.from;
    const baseName = substituteGlobal(df, global, from.image, from.line, 'FROM');
    if (baseName === '')
      throw new DockerfileError(df.file, from.line, 'FROM', `base name (${from.image}) should not be blank`);
    const platformSpec =
      from.platform === undefined ? undefined : substituteGlobal(df, global, from.platform, from.line, 'FROM');
    if (platformSpec !== undefined && !samePlatform(platformSpec, platform)) {
      throw new DockerfileError(
        df.file,
        from.line,
        'FROM',
        `--platform=${platformSpec}: gantry builds for the host platform only (${formatPlatform(platform)})`,
      );
    }
    const base = baseOf(baseName, out);
    const parent = base.kind === 'stage' ? out[base.index] : undefined;
    const start: StageState = parent
      ? { ...parent.final, args: [], onBuild: [] }
      : initialState(base.kind === 'image' ? opts.baseImage?.(baseName) : undefined);
    const triggers = parent
      ? parent.final.onBuild
      : base.kind === 'image'
        ? (opts.baseImage?.(baseName)?.onBuild ?? [])
        : [];
    const written = [
      ...parseTriggers(triggers, baseName).map((i) => [i, true] as const),
      ...stage.instructions.map((i) => [i, false] as const),
    ];
    const steps: ResolvedStep[] = [];
    let state = start;
    for (const [ins, onbuild] of written) {
      const step = resolveStep(ctx, ins, state, onbuild);
      steps.push(step);
      state = nextState(state, step.instruction, (name, value) => argValue(ctx, name, value));
    }
    out.push({
      index: stage.index,
      name: from.stageName,
      from,
      baseName,
      base,
      platform: platformSpec,
      steps,
      final: state,
    });
  }
  const unusedBuildArgs = [...buildArgs.keys()].filter((k) => !ctx.consumed.has(k) && !PROXY_ARGS.has(k));
  return { stages: out, global, unusedBuildArgs };
}

function baseOf(name: string, earlier: readonly (ResolvedStage | undefined)[]): StageBase {
  const lower = name.toLowerCase();
  const stage = earlier.find((s) => s?.name === lower);
  if (stage) return { kind: 'stage', index: stage.index };
  return lower === 'scratch' ? { kind: 'scratch' } : { kind: 'image', ref: name };
}

function parseTriggers(triggers: readonly string[], image: string): StageInstruction[] {
  if (triggers.length === 0) return [];
  const df = parseDockerfile(`FROM scratch\n${triggers.join('\n')}\n`, { file: `${image} ONBUILD` });
  return [...df.stages[0]!.instructions];
}

function argValue(ctx: Ctx, name: string, written: string | undefined): string | undefined {
  ctx.consumed.add(name);
  const given = ctx.buildArgs.get(name);
  if (given !== undefined) return given;
  if (written !== undefined) return written;
  if (ctx.global.declared.has(name)) return ctx.global.declared.get(name);
  return platformArgs(ctx.platform).get(name);
}

function resolveStep(ctx: Ctx, written: StageInstruction, state: StageState, onbuild: boolean): ResolvedStep {
  const sub = new Substituter(substitutionEnv(state), ctx.df.escape);
  let instruction: StageInstruction;
  try {
    instruction = substituteInstruction(written, sub, (w) =>
      substituteGlobal(ctx.df, ctx.global, w, written.line, written.kind),
    );
  } catch (e) {
    if (e instanceof DockerfileError) throw e;
    throw new DockerfileError(ctx.df.file, written.line, written.kind, errorText(e));
  }
  const declared = new Set(state.args.map(([k]) => k));
  const isRun = instruction.kind === 'RUN';
  const proxyEnv = isRun
    ? [...PROXY_ARGS]
        .filter((k) => !declared.has(k) && ctx.buildArgs.has(k))
        .map((k) => `${k}=${ctx.buildArgs.get(k)!}`)
    : [];
  return {
    instruction,
    written,
    onbuild,
    state,
    runEnv: isRun ? runEnvironment(state) : undefined,
    proxyEnv,
    uses: [...sub.uses].sort(),
  };
}
