// Content digests of context files, remembered by (dev, inode, size, mtime, ctime): a second walk
// of an unchanged context only stats. The cache can be saved to a file so that the next build
// process starts warm; an entry whose stat differs is recomputed, never trusted.
import { readFile, rename, writeFile } from 'node:fs/promises';

interface Stamp {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

interface Cached extends Stamp {
  readonly digest: string;
}

const VERSION = 1;

export class StatCache {
  private readonly entries = new Map<string, Cached>();
  /** Set by set(): an unchanged cache is not written again (a cached build of an unchanged context). */
  private changed = false;
  hits = 0;
  misses = 0;

  get(absPath: string, st: Stamp): string | undefined {
    const c = this.entries.get(absPath);
    const same =
      c !== undefined &&
      c.dev === st.dev &&
      c.ino === st.ino &&
      c.size === st.size &&
      c.mtimeNs === st.mtimeNs &&
      c.ctimeNs === st.ctimeNs;
    if (same) this.hits++;
    else this.misses++;
    return same ? c.digest : undefined;
  }

  set(absPath: string, st: Stamp, digest: string): void {
    this.changed = true;
    this.entries.set(absPath, {
      dev: st.dev,
      ino: st.ino,
      size: st.size,
      mtimeNs: st.mtimeNs,
      ctimeNs: st.ctimeNs,
      digest,
    });
  }

  static async load(file: string): Promise<StatCache> {
    const cache = new StatCache();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return cache;
    }
    try {
      const doc = JSON.parse(text) as {
        version?: number;
        entries?: [string, string, string, number, string, string, string][];
      };
      if (doc.version !== VERSION) return cache;
      for (const [p, dev, ino, size, mtime, ctime, digest] of doc.entries ?? []) {
        cache.entries.set(p, {
          dev: BigInt(dev),
          ino: BigInt(ino),
          size,
          mtimeNs: BigInt(mtime),
          ctimeNs: BigInt(ctime),
          digest,
        });
      }
    } catch {
      // A torn or foreign file is only a cold cache.
    }
    return cache;
  }

  async save(file: string): Promise<void> {
    if (!this.changed) return;
    const entries = [...this.entries].map(([p, c]) => [
      p,
      String(c.dev),
      String(c.ino),
      c.size,
      String(c.mtimeNs),
      String(c.ctimeNs),
      c.digest,
    ]);
    const tmp = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`; // parallel builds of one process
    await writeFile(tmp, JSON.stringify({ version: VERSION, entries }));
    await rename(tmp, file);
    this.changed = false;
  }
}
