// File names in error positions as the user gave them: a `-f sub/compose.yaml` error reads
// `sub/compose.yaml:3:5: …` (as Docker Compose prints it), not the absolute path the loader works
// with. A file found by discovery or include is shown relative to the working directory when it
// lies beneath it, and absolute otherwise.
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, type SourcePosition } from '../common/errors.ts';
import type { PositionLookup } from './raw.ts';

export type ShowPath = (file: string) => string;

/** `given`: the `-f` values (or COMPOSE_FILE's) as written, `cwd`: the working directory. */
export function pathShower(given: readonly string[], cwd: string): ShowPath {
  const asGiven = new Map(given.filter((f) => f !== '-').map((f) => [resolve(cwd, f), f]));
  return (file) => {
    const named = asGiven.get(file);
    if (named !== undefined) return named;
    if (!isAbsolute(file)) return file; // <stdin>
    const rel = relative(cwd, file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  };
}

const shownPos = (p: SourcePosition | undefined, show: ShowPath): SourcePosition | undefined =>
  p && { ...p, file: show(p.file) };

export const showPositions =
  (lookup: PositionLookup, show: ShowPath): PositionLookup =>
  (path) =>
    shownPos(lookup(path), show);

/** The same error, its position's file as shown to the user. */
export function withShownPath(e: unknown, show: ShowPath): unknown {
  if (!(e instanceof ConfigError) || e.position === undefined) return e;
  const position = shownPos(e.position, show);
  if (position?.file === e.position.file) return e;
  return new ConfigError(e.detail, { position, keyPath: e.keyPath });
}
