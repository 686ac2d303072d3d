// Helpers of the "names" attack class: a state root that another host user could reach if its
// modes let them (its parent is 0755, unlike e2eRoot's mkdtemp root), optionally on a small
// tmpfs to fill to ENOSPC, and running a command as `nobody`.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGantry, type CliResult } from './cli.ts';
import { ensureTestImages } from './test-images.ts';

export const IMG = 'gantry-test/busybox:latest';

export interface HostRoot {
  /** The 0755 directory holding the state root: what `../` names reach. */
  readonly base: string;
  readonly root: string;
  gantry(args: readonly string[], cwd?: string): Promise<CliResult>;
  project(name: string, compose: string): string;
}

/** `base` (0755) with the state root `base/state` inside, the test image loaded; `after` takes all down. */
export async function hostRoot(
  after: (fn: () => Promise<void> | void) => void,
  o: { tmpfsMiB?: number } = {},
): Promise<HostRoot> {
  const base = mkdtempSync(join(tmpdir(), `gantry-atk-names-${process.pid}-`));
  chmodSync(base, 0o755);
  const root = join(base, 'state');
  if (o.tmpfsMiB !== undefined) {
    mkdirSync(root);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${o.tmpfsMiB}m,mode=0755`, 'tmpfs', root]);
  }
  const env = { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', GANTRY_ROOT: root, HOME: base };
  const dirs: string[] = [];
  const gantry = (args: readonly string[], cwd = base) => runGantry(args, { env, cwd, timeoutMs: 120_000 });
  after(async () => {
    for (const d of dirs) await gantry(['down', '-v', '--remove-orphans', '-t', '1'], d);
    if (o.tmpfsMiB !== undefined) spawnSync('umount', ['-l', root]);
    rmSync(base, { recursive: true, force: true });
  });
  const loaded = await gantry(['image', 'load', '-i', ensureTestImages().dockerArchive]);
  if (loaded.exitCode !== 0) throw new Error(`image load: ${loaded.stderr}`);
  return {
    base,
    root,
    gantry,
    project(name, compose) {
      const dir = join(base, 'p', name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compose.yaml'), compose);
      dirs.push(dir);
      return dir;
    },
  };
}

/**
 * Runs argv as the host user nobody. runuser, not setpriv: setpriv still holds root's
 * capabilities during its own execve, so the program's path would be searched as root.
 */
export function asNobody(argv: readonly string[]): { status: number | null; out: string } {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', ...argv], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Free bytes of the filesystem holding `path`. */
export function freeBytes(path: string): number {
  const out = execFileSync('df', ['-B1', '--output=avail', path], { encoding: 'utf8' });
  return Number(out.trim().split('\n').at(-1));
}
