// Consistency of an image store read from its files, not through gantry: every blob hashes to
// its name, every indexed manifest and its config are blobs, and every layer it names is
// unpacked (directory plus its metadata). Returns the problems found, empty when consistent.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Index {
  manifests?: { digest: string }[];
}
interface Manifest {
  config: { digest: string };
}
interface Config {
  rootfs?: { diff_ids?: string[] };
}

export function storeProblems(imagesDir: string): string[] {
  const blobs = join(imagesDir, 'blobs', 'sha256');
  const problems: string[] = [];
  const names = existsSync(blobs) ? readdirSync(blobs) : [];
  for (const n of names) {
    const hex = createHash('sha256')
      .update(readFileSync(join(blobs, n)))
      .digest('hex');
    if (hex !== n) problems.push(`blob ${n} hashes to ${hex}`);
  }
  const blob = <T>(digest: string): T | undefined => {
    const hex = digest.replace(/^sha256:/, '');
    if (!names.includes(hex)) return void problems.push(`missing blob ${digest}`);
    try {
      return JSON.parse(readFileSync(join(blobs, hex), 'utf8')) as T;
    } catch {
      return void problems.push(`blob ${digest} is not JSON`);
    }
  };
  let index: Index = {};
  if (existsSync(join(imagesDir, 'index.json'))) {
    try {
      index = JSON.parse(readFileSync(join(imagesDir, 'index.json'), 'utf8')) as Index;
    } catch {
      problems.push('index.json is not JSON');
    }
  }
  for (const m of index.manifests ?? []) {
    const manifest = blob<Manifest>(m.digest);
    const config = manifest && blob<Config>(manifest.config.digest);
    for (const d of config?.rootfs?.diff_ids ?? []) {
      const layer = join(imagesDir, 'layers', d.replace(/^sha256:/, '').slice(0, 16));
      if (!existsSync(layer) || !existsSync(`${layer}.json`)) problems.push(`layer ${d} of ${m.digest} not unpacked`);
    }
  }
  return problems;
}
