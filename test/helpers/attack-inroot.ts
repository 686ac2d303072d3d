// Hostile images and containers for the in-root attack class: an image built from the busybox
// test image plus one crafted layer (symlinks to host paths), saved as a docker archive for
// `gantry image load`; and a host folder with a canary that no attack may read or change.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTar, type RawEntry } from './tar-build.ts';
import { BUILD_DIR, ensureTestImages } from './test-images.ts';

export const CANARY = 'host canary: never copied into a container, never overwritten\n';

/** A host folder holding `canary`, outside every gantry root. */
export function hostCanaryDir(base: string): string {
  const dir = join(base, 'host-side');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'canary'), CANARY);
  return dir;
}

/** What the canary folder holds now: its names and the canary's text. */
export function canaryState(dir: string): { readonly names: readonly string[]; readonly canary: string } {
  return {
    names: readdirSync(dir).sort(),
    canary: existsSync(join(dir, 'canary')) ? readFileSync(join(dir, 'canary'), 'utf8') : '',
  };
}

/** The busybox test image with `entries` as a fourth layer, tagged `ref`; returns the archive path. */
export async function attackImage(work: string, ref: string, entries: readonly RawEntry[]): Promise<string> {
  await ensureTestImages();
  const dir = join(work, `image-${ref.replace(/[^a-z0-9]/g, '-')}`);
  cpSync(join(BUILD_DIR, 'docker'), dir, { recursive: true });
  const [manifest] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    Config: string;
    Layers: string[];
  }[];
  const config = JSON.parse(readFileSync(join(dir, manifest!.Config), 'utf8')) as {
    config: Record<string, unknown>;
    rootfs: { diff_ids: string[] };
    history: unknown[];
  };
  const layer = buildTar(entries);
  mkdirSync(join(dir, 'layer4'));
  writeFileSync(join(dir, 'layer4', 'layer.tar'), layer);
  config.rootfs.diff_ids.push(`sha256:${createHash('sha256').update(layer).digest('hex')}`);
  config.history.push({ created_by: 'in-root attack layer' });
  delete config.config['Volumes'];
  delete config.config['Healthcheck'];
  const text = JSON.stringify(config);
  const name = `${createHash('sha256').update(text).digest('hex')}.json`;
  writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify([{ Config: name, RepoTags: [ref], Layers: [...manifest!.Layers, 'layer4/layer.tar'] }]),
  );
  const archive = `${dir}.tar`;
  execFileSync('tar', ['-cf', archive, '-C', dir, '.']);
  return archive;
}
