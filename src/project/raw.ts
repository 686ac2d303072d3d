// The contract between the loading stages (YAML → .env → interpolation → include/extends →
// merge → profiles) and the later ones (validate → normalize → check). Everything before this
// point works on plain JSON-like data; everything after it builds the typed model.
import type { SourcePosition } from '../common/errors.ts';

/** A key path into the compose document, e.g. ['services', 'web', 'ports', 0]. */
export type KeyPath = readonly (string | number)[];

/** Formats a key path the way users read it: `services.web.ports[0]`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Where a key path was written; for a path with no record, the nearest recorded ancestor. */
export type PositionLookup = (path: KeyPath) => SourcePosition | undefined;

/** What `loadProject` reads: the same inputs as `gantry -f FILE -p NAME --profile P`. */
export interface LoadOptions {
  /** `-f` files in order (`-` = stdin); empty means discover compose.yaml upward from workingDir. */
  readonly files: readonly string[];
  readonly projectName?: string | undefined;
  readonly projectDirectory?: string | undefined;
  /** `--env-file` files in order (later wins); empty means `<projectDirectory>/.env` if present. */
  readonly envFiles: readonly string[];
  /** `--profile` values; when empty, COMPOSE_PROFILES from `environment` is used (as Compose does). */
  readonly profiles: readonly string[];
  /** Services named on the command line (`up admin`, `run admin`): their profiles are enabled. */
  readonly enableServices?: readonly string[];
  /** The process environment (COMPOSE_* variables are read from here too). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly workingDir: string;
  /** false for `config --no-interpolate`. */
  readonly interpolate?: boolean;
  /** Reads stdin for `-f -`. */
  readonly readStdin?: () => Promise<string>;
}

export interface RawProject {
  readonly name: string;
  readonly projectDirectory: string; // absolute
  readonly configFiles: readonly string[]; // absolute paths ('-' for stdin)
  /** Variables for interpolation and bare `environment` keys: .env files overlaid by the process env. */
  readonly environment: Readonly<Record<string, string>>;
  /** What the .env files set, before the process environment overlays it (recorded-load.ts rebuilds from it). */
  readonly fileEnvironment?: Readonly<Record<string, string>>;
  /** Merged, interpolated document; include/extends resolved; services of inactive profiles removed. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Every profile named by any service, for `config --profiles`. */
  readonly allProfiles: readonly string[];
  /** Profiles active for this load. */
  readonly activeProfiles: readonly string[];
  /** Services removed because none of their profiles is active (absent: none). */
  readonly disabledServices?: readonly string[];
  readonly positions: PositionLookup;
  /** Where the last key of a path was written (an unknown key is pointed at by its key). */
  readonly keyPositions: PositionLookup;
  /** Warnings to show once (unset variables, obsolete `version`, …). */
  readonly warnings: readonly string[];
}
