// What a compose file reads into, whichever reader read it (load-fast.ts, or load.ts with
// positions), and the limits both readers hold to.
import type { SourcePosition } from '../common/errors.ts';
import type { KeyPath } from './raw.ts';

/** One YAML document of a compose file, as data. */
export interface Layer {
  readonly file: string;
  readonly data: Record<string, unknown>;
  /** Paths tagged `!reset` or `!override`: whatever earlier layers set there is cleared first. */
  readonly clears: readonly KeyPath[];
  /** Position of the document start, the fallback for paths with no record. */
  readonly start: SourcePosition;
}

export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Nodes that may be produced by expanding aliases in one document (a "billion laughs" guard). */
export const MAX_ALIAS_NODES = 100_000;
