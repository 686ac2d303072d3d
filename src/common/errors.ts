// The few error classes gantry throws on purpose. Each carries its exit code, so the CLI wrapper
// can turn any of them into one line on stderr and a meaningful status, without a stack trace.

/** Where in a compose file something is (1-based line and column). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number; // 1-based
  readonly col: number; // 1-based
}

/** The base of every error gantry throws on purpose; `exitCode` is what the CLI exits with. */
export abstract class GantryError extends Error {
  abstract readonly exitCode: number;
}

/** Bad command-line usage: unknown flag, missing argument. Exit 2, as Docker Compose. */
export class UsageError extends GantryError {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/**
 * An invalid project: YAML syntax, schema, interpolation, cross-field checks.
 * Prints `FILE:LINE:COL: key.path: what is wrong` when a position is known.
 */
export class ConfigError extends GantryError {
  override readonly name = 'ConfigError';
  readonly exitCode = 1;
  readonly position: SourcePosition | undefined;
  readonly keyPath: string | undefined;
  readonly detail: string;
  constructor(detail: string, opts: { position?: SourcePosition | undefined; keyPath?: string | undefined } = {}) {
    super(formatConfigMessage(detail, opts.position, opts.keyPath));
    this.detail = detail;
    this.position = opts.position;
    this.keyPath = opts.keyPath;
  }
}

function formatConfigMessage(detail: string, pos?: SourcePosition, keyPath?: string): string {
  const where = pos ? `${pos.file}:${pos.line}:${pos.col}: ` : '';
  const path = keyPath ? `${keyPath}: ` : '';
  return oneLine(`${where}${path}${detail}`);
}

/**
 * Control characters escaped (tab kept): messages quote the user's text, and a newline or a
 * terminal escape sequence in a value must not split the one-line error or repaint the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A field or feature gantry does not implement yet. Never silently ignored. */
export class UnsupportedError extends GantryError {
  override readonly name = 'UnsupportedError';
  readonly exitCode = 1;
}

/** A failure of the host, runtime, network or image layer; names the step and the command. */
export class RuntimeError extends GantryError {
  override readonly name = 'RuntimeError';
  readonly exitCode: number;
  constructor(message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** A bug in gantry. */
export class InternalError extends GantryError {
  override readonly name = 'InternalError';
  readonly exitCode = 70;
}
