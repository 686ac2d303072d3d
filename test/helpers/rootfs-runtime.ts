// Runtime test fixture: a temp state root per test file, the busybox rootfs, and a `run` that
// creates, starts, waits and returns the exit state and the logged output. Everything a test
// creates is force-deleted in t.after, even when the test fails.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import {
  createRuntime,
  parseLogLine,
  type ContainerSpec,
  type ContainerState,
  type Runtime,
} from '../../src/runtime/index.ts';
import { busyboxRootfs } from './rootfs.ts';

export const ROOTFS = busyboxRootfs();
execFileSync(process.execPath, [new URL('../../scripts/generate/native-shim.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
});

export interface Fixture {
  readonly rt: Runtime;
  readonly root: string;
  /** A unique container id (prefix + pid + counter). */
  id(label: string): string;
  spec(args: readonly string[], extra?: Partial<ContainerSpec>): ContainerSpec;
  run(
    args: readonly string[],
    extra?: Partial<ContainerSpec>,
  ): Promise<{ state: ContainerState; stdout: string; stderr: string }>;
  /** Resolves once the container's stdout log contains `text` (its program is past setup). */
  waitOutput(id: string, text: string, timeoutMs?: number): Promise<void>;
  /** Starts a detached container and returns its id; deleted at the end of the file. */
  startDetached(args: readonly string[], extra?: Partial<ContainerSpec>): Promise<string>;
}

export function logText(path: string, stream: 'stdout' | 'stderr'): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  return text
    .split('\n')
    .map(parseLogLine)
    .filter((l) => l?.stream === stream)
    .map((l) => `${l!.text}${l!.full ? '\n' : ''}`)
    .join('');
}

export function fixture(t: { after: TestContext['after'] }, prefix: string): Fixture {
  const root = mkdtempSync(join(tmpdir(), `gantry-rt-${prefix}-${process.pid}-`));
  const rt = createRuntime({ containersDir: join(root, 'containers') });
  let n = 0;
  t.after(async () => {
    for (const c of await rt.list()) await rt.delete(c.id, { force: true }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });
  const f: Fixture = {
    rt,
    root,
    id: (label) => `t${prefix}-${label}-${process.pid}-${n++}`,
    spec: (args, extra = {}) => ({
      rootfs: { layers: [ROOTFS], readOnly: false },
      process: { args, env: ['PATH=/bin', 'HOME=/root'], cwd: '/' },
      ...extra,
    }),
    async run(args, extra) {
      const id = f.id('run');
      await rt.create(id, f.spec(args, extra));
      await rt.start(id);
      const state = await rt.wait(id, { timeoutMs: 30_000 });
      const log = join(root, 'containers', id, 'container.log');
      const out = { state, stdout: logText(log, 'stdout'), stderr: logText(log, 'stderr') };
      await rt.delete(id, { force: true });
      return out;
    },
    async waitOutput(id, text, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!logText(f.rt.logPath(id), 'stdout').includes(text)) {
        if (Date.now() > until) throw new Error(`container ${id} never printed ${text}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async startDetached(args, extra) {
      const id = f.id('bg');
      await rt.create(id, f.spec(args, extra));
      await rt.start(id);
      return id;
    },
  };
  return f;
}
