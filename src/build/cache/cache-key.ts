// The cache key of each step (see src/build/README.md): sha256 over the parent's key, the
// instruction after substitution (location and raw text left out), and what else reaches it: a
// RUN's environment, working directory, user and shell; a COPY/ADD's source content digest. An
// ARG's key leaves its value out, so a changed value misses where it is used, not where declared
// (Docker's rule); proxy build args never enter a key.
import { createHash } from 'node:crypto';
import type { StageInstruction } from '../dockerfile/types.ts';
import type { ResolvedStep } from '../resolve/types.ts';

const VERSION = 'gantry-build-cache/v1';

export type StageBaseKey =
  | { readonly kind: 'scratch' }
  /** The base image's digest as the store has it (manifest or config digest). */
  | { readonly kind: 'image'; readonly digest: string }
  /** The last key of the stage this one is FROM. */
  | { readonly kind: 'stage'; readonly key: string };

export function baseKey(base: StageBaseKey): string {
  return digest([
    VERSION,
    'base',
    base.kind === 'scratch' ? 'scratch' : base.kind === 'image' ? base.digest : base.key,
  ]);
}

/** What the instruction itself contributes, location-free (reformatting a line changes nothing). */
export function instructionIdentity(ins: StageInstruction): unknown {
  const { line: _l, endLine: _e, source: _s, ...rest } = ins;
  switch (rest.kind) {
    case 'ARG':
      return { kind: 'ARG', names: rest.args.map((a) => a.name) };
    case 'RUN':
      return { ...rest, mounts: rest.mounts.map(({ spec: _spec, ...m }) => m) };
    case 'ONBUILD':
      return { kind: 'ONBUILD', expression: rest.expression };
    default:
      return rest;
  }
}

export interface StepInputs {
  /**
   * COPY/ADD: digest of the selected sources (fileSetDigest of the context selection, or the
   * source stage's last key for --from=stage, or the image digest for --from=image).
   */
  readonly content?: string | undefined;
  /** RUN: digests of what its bind/cache mounts bring in from other stages or the context. */
  readonly mounts?: readonly string[] | undefined;
}

export function stepKey(parent: string, step: ResolvedStep, inputs: StepInputs = {}): string {
  const ins = step.instruction;
  const reach: Record<string, unknown> = {};
  if (ins.kind === 'RUN') {
    reach.env = step.runEnv;
    reach.workdir = step.state.workdir;
    reach.user = step.state.user;
    reach.shell = step.state.shell;
    reach.mountInputs = inputs.mounts ?? [];
  }
  if (ins.kind === 'COPY' || ins.kind === 'ADD') {
    reach.workdir = step.state.workdir; // a relative destination lands under it
    reach.content = inputs.content ?? null;
  }
  if (ins.kind === 'WORKDIR') reach.workdir = step.state.workdir;
  return digest([VERSION, parent, instructionIdentity(ins), reach]);
}

/**
 * The key after a layer step: the step's key with the layer it gave. What follows depends on the
 * layer's content, so a step run again (--no-cache-filter) that gives another layer misses after.
 */
export function layerKey(step: string, diffId: string): string {
  return digest([VERSION, 'layer', step, diffId]);
}

function digest(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}
