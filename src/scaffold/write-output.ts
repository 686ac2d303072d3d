// Writing the checked files into DIR. A file that exists is never touched without --force
// (the same content is reported as unchanged, other content as kept), so running init twice
// changes nothing. A new file is created with O_EXCL and an overwrite goes through a temp file
// renamed into place: neither follows a symlink planted at the file's name.
import { existsSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../common/errors.ts';
import type { RenderedFile } from './render.ts';

export type WriteAction = 'created' | 'overwritten' | 'unchanged' | 'kept';

export interface Written {
  readonly path: string;
  readonly action: WriteAction;
}

/** .env holds the generated secrets: readable by its owner only. */
const modeFor = (path: string): number => (/(^|\/)\.env$/.test(path) ? 0o600 : 0o644);

function writeNew(path: string, text: string, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function sameContent(path: string, text: string): boolean {
  const st = lstatSync(path);
  return st.isFile() && st.size === Buffer.byteLength(text) && readFileSync(path, 'utf8') === text;
}

/** What would happen to each file (no write): for --dry-run and for the report. */
export function planWrites(dir: string, files: readonly RenderedFile[], force: boolean): Written[] {
  return files.map((f) => {
    const target = join(dir, f.path);
    if (!existsSync(target) && !isLink(target)) return { path: f.path, action: 'created' };
    if (sameContent(target, f.text)) return { path: f.path, action: 'unchanged' };
    return { path: f.path, action: force ? 'overwritten' : 'kept' };
  });
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function writeFiles(dir: string, files: readonly RenderedFile[], force: boolean): Written[] {
  const plan = planWrites(dir, files, force);
  for (const [i, w] of plan.entries()) {
    const f = files[i]!;
    const target = join(dir, f.path);
    if (w.action === 'unchanged' || w.action === 'kept') continue;
    mkdirSync(dirname(target), { recursive: true });
    if (w.action === 'created') writeNew(target, f.text, modeFor(f.path));
    else {
      if (lstatSync(target).isDirectory()) throw new UsageError(`${target} is a directory; not replaced`);
      const tmp = `${target}.gantry-init.${process.pid}`;
      writeNew(tmp, f.text, modeFor(f.path));
      renameSync(tmp, target);
    }
  }
  return plan;
}
