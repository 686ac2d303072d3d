// What the resolve stage hands the executor: per stage, its base, and each instruction with its
// words substituted, the state it runs in, and the variable names that reached it.
import type { FromInstruction, StageInstruction } from '../dockerfile/types.ts';

export type StageBase =
  | { readonly kind: 'scratch' }
  | { readonly kind: 'image'; readonly ref: string }
  | { readonly kind: 'stage'; readonly index: number };

/** The part of a stage's state that steps read and the final image config keeps. */
export interface StageState {
  /** Image config Env, in order, ENV overriding earlier entries. */
  readonly env: readonly (readonly [string, string])[];
  /** ARGs declared in this stage so far, with their values (undefined: declared, never set). */
  readonly args: readonly (readonly [string, string | undefined])[];
  readonly workdir: string;
  readonly user: string;
  readonly shell: readonly string[];
  /** ONBUILD triggers recorded so far (they run when a later build uses this image as its base). */
  readonly onBuild: readonly string[];
}

export interface ResolvedStep {
  /** The instruction with its words substituted as BuildKit does (quotes removed, `$V` replaced). */
  readonly instruction: StageInstruction;
  /** As written in the Dockerfile (or in the base image's ONBUILD). */
  readonly written: StageInstruction;
  readonly onbuild: boolean;
  /** The state before this step. */
  readonly state: StageState;
  /** For RUN: the process environment (ENV, then declared ARGs not shadowed by ENV). */
  readonly runEnv: readonly string[] | undefined;
  /** Proxy build args given to RUN without a declaration: not in history nor in cache keys. */
  readonly proxyEnv: readonly string[];
  /** Variable names the substitution looked up (set or not). */
  readonly uses: readonly string[];
}

export interface ResolvedStage {
  readonly index: number;
  readonly name: string | undefined;
  readonly from: FromInstruction;
  /** The FROM image after substitution with the global ARGs. */
  readonly baseName: string;
  readonly base: StageBase;
  readonly platform: string | undefined;
  readonly steps: readonly ResolvedStep[];
  readonly final: StageState;
}

/** What the executor knows about a base image before the build (its config). */
export interface BaseImageConfig {
  readonly env?: readonly string[] | undefined;
  readonly workingDir?: string | undefined;
  readonly user?: string | undefined;
  readonly shell?: readonly string[] | undefined;
  readonly onBuild?: readonly string[] | undefined;
}
