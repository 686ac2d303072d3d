// The overlay mount's options. mount(2) takes one page of option text, so absolute lowerdirs
// break at ~60 layers: we give lowerdirs relative to the layers' common parent and the shim
// chdirs there before mounting; when even that is too long, short symlinks (0, 1, …, as
// Docker's overlay2 l/ dir) in the container's own link dir stand in for the layers.
// A volatile mount (RootfsSpec.volatile) skips every sync of the upper filesystem. Why: the last
// process of a container's mount namespace unmounts the overlay on its way out, and that unmount
// synced the upper dir's filesystem (ext4 writeback and a disk flush) before the exit was seen:
// ≈ 10 ms per container stopped, in series along a depends_on chain. Idle A/B, 2026-12-06, warm
// `down -t 1`: 1 service 251 → 242 ms, 10 services 331 → 312 (bench/RESULTS.md, vol13). The cost:
// writes to the container layer (never a volume's) may be lost in a host crash — Docker's own
// rule: data that must survive lives in volumes.
import { rmSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

export interface OverlayMount {
  readonly cwd: string;
  readonly data: string;
  /** Symlinks [path, target] that must exist before mounting (only in the link-dir form). */
  readonly links: readonly (readonly [string, string])[];
}

const PAGE_LIMIT = 4095;

/** overlayfs knows `volatile` from Linux 5.10; an older kernel refuses the mount as a whole. */
export function kernelHasVolatile(osRelease = release()): boolean {
  const [major = 0, minor = 0] = osRelease.split('.').map((n) => parseInt(n, 10));
  return major > 5 || (major === 5 && minor >= 10);
}

const MAX_STACK = 500; // the kernel's OVL_MAX_STACK

/**
 * Each layer dir once, keeping its highest place: images often carry the same (empty) layer
 * twice, and overlayfs refuses a dir named twice (ELOOP). The higher copy already shows
 * everything the lower one would, whiteouts included, so the view is the same.
 */
export function distinctLayers(layers: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    if (seen.has(layers[i]!)) continue;
    seen.add(layers[i]!);
    out.push(layers[i]!);
  }
  return out.reverse();
}

export function overlayMount(
  stack: readonly string[],
  upper: string,
  work: string,
  linkDir?: string,
  volatile = false,
): OverlayMount {
  const layers = distinctLayers(stack);
  if (layers.length === 0) throw new Error('rootfs has no layers');
  if (layers.length > MAX_STACK)
    throw new Error(`${layers.length} layers: overlayfs stacks at most ${MAX_STACK}; squash the image`);
  for (const l of [upper, work])
    if (/[:,\\]/.test(l)) throw new Error(`path ${l} contains ':' ',' or '\\' (overlay options cannot hold them)`);
  const cwd = commonParent(layers);
  // overlayfs lists the TOP layer first; the spec lists the lowest first.
  const lower = [...layers].reverse().map((l) => relative(cwd, l) || '.');
  const tail = `upperdir=${upper},workdir=${work}${volatile && kernelHasVolatile() ? ',volatile' : ''}`;
  const data = `lowerdir=${lower.join(':')},${tail}`;
  if (data.length <= PAGE_LIMIT && !lower.some((l) => /[:,\\]/.test(l))) return { cwd, data, links: [] };
  if (!linkDir)
    throw new Error(`${layers.length} layers make ${data.length} bytes of overlay options (limit ${PAGE_LIMIT})`);
  const names = layers.map((_, i) => i.toString(36));
  const short = `lowerdir=${[...names].reverse().join(':')},${tail}`;
  return { cwd: linkDir, data: short, links: layers.map((l, i) => [join(linkDir, names[i]!), l] as const) };
}

function commonParent(paths: readonly string[]): string {
  let common = dirname(paths[0]!);
  while (!paths.every((p) => p.startsWith(common === sep ? sep : common + sep))) common = dirname(common);
  return common;
}

/**
 * overlayfs leaves work/incompat/volatile in the work dir of a volatile mount and refuses to mount
 * that work dir again until it is gone (its sign that the upper dir may have missed writes in a
 * crash). A container's upper dir is its own to keep or lose (RootfsSpec.volatile), so the sign is
 * removed before each mount after the first: a restart, `start` after `stop`, a host's reboot.
 */
export function clearVolatileMark(work: string): void {
  rmSync(join(work, 'work', 'incompat'), { recursive: true, force: true });
}
