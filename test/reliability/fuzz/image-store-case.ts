// One image command against a fresh copy of a store that already holds a base image, through
// the real CLI, with what changed in the store and what temp files were left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGantry } from '../../helpers/cli.ts';
import { baseArchive } from './image-archives.ts';
import { snapshotStore, tempFilesOf } from './store-snapshot.ts';

export interface StoreCaseResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly changed: boolean;
  readonly temps: readonly string[];
  readonly ms: number;
}

export interface StoreBench {
  readonly work: string;
  run(args: readonly string[], extraEnv?: Record<string, string>): Promise<StoreCaseResult>;
  cleanup(): void;
}

export function storeBench(): StoreBench {
  const work = mkdtempSync(join(tmpdir(), `gantry-fuzz-image-${process.pid}-`));
  const template = join(work, 'template');
  let n = 0;
  const env = (root: string, extra: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GANTRY_ROOT: root,
    ...extra,
  });
  return {
    work,
    async run(args, extraEnv = {}) {
      if (n === 0) {
        writeFileSync(join(work, 'base.tar'), baseArchive());
        const r = await runGantry(['image', 'load', '-i', join(work, 'base.tar')], { env: env(template, {}) });
        assert.equal(r.exitCode, 0, r.stderr);
      }
      const root = join(work, `root-${n++}`);
      execFileSync('cp', ['-a', template, root]);
      const before = snapshotStore(join(root, 'images'));
      const started = Date.now();
      const r = await runGantry(args, { env: env(root, extraEnv), timeoutMs: 180_000 });
      const ms = Date.now() - started;
      const after = snapshotStore(join(root, 'images'));
      const temps = tempFilesOf(join(root, 'images'));
      rmSync(root, { recursive: true, force: true });
      return { ...r, changed: JSON.stringify(before) !== JSON.stringify(after), temps, ms };
    },
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
