// Hostile inputs for the plan attack class: images whose config (WorkingDir, Env, Cmd, User) or
// passwd carry what an attacker would put there, written as `docker save` archives derived from
// the busybox test image, and plan files for running the shim by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ensureTestImages } from './test-images.ts';
import { buildTar, type RawEntry } from './tar-build.ts';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export interface Crafted {
  readonly ref: string;
  /** Changes the image config's "config" object (Docker's capitalized keys). */
  readonly config?: (c: Record<string, unknown>) => void;
  /** Files of one more layer on top (etc/passwd for example). */
  readonly files?: readonly RawEntry[];
}

/** A docker-save archive of the test image with the changes made; returns its path. */
export async function craftImage(work: string, c: Crafted): Promise<string> {
  await ensureTestImages();
  const dir = join(work, `img-${sha(Buffer.from(c.ref)).slice(0, 8)}`);
  cpSync(join(BUILD_DIR, 'docker'), dir, { recursive: true });
  const [m] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
  const cfg = JSON.parse(readFileSync(join(dir, m!.Config), 'utf8')) as {
    config: Record<string, unknown>;
    rootfs: { diff_ids: string[] };
  };
  c.config?.(cfg.config);
  const layers = [...m!.Layers];
  if (c.files) {
    const tar = buildTar(c.files);
    mkdirSync(join(dir, 'extra'), { recursive: true });
    writeFileSync(join(dir, 'extra', 'layer.tar'), tar);
    layers.push('extra/layer.tar');
    cfg.rootfs.diff_ids.push(`sha256:${sha(tar)}`);
  }
  const cfgBytes = Buffer.from(JSON.stringify(cfg));
  const cfgName = `${sha(cfgBytes)}.json`;
  writeFileSync(join(dir, cfgName), cfgBytes);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: cfgName, RepoTags: [c.ref], Layers: layers }]));
  const out = `${dir}.tar`;
  execFileSync('tar', ['--create', '--file', out, '-C', dir, 'manifest.json', cfgName, ...layers]);
  return out;
}

/**
 * A WorkingDir that, in a NUL-separated plan, ends the `mkdir` op early and adds its own
 * `args … env … exec`: the program then runs before the bounding set, seccomp, uid and caps.
 */
export function injectingDir(program: readonly string[]): string {
  return ['/', '755', 'args', String(program.length), ...program, 'env', '1', 'PATH=/bin', 'exec'].join('\0');
}

/** Runs the shim binary on a plan file; its exit code and what it said. */
export function runShim(
  shim: string,
  planFile: string,
  plan: Buffer | string,
): { code: number; stdout: string; stderr: string } {
  writeFileSync(planFile, plan);
  const r = spawnSync(shim, [planFile], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}
