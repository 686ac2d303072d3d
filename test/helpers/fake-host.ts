// A runtime Host with no kernel behind it, for unit tests of code that only reads and writes cgroup files:
// every call succeeds and does nothing unless a test overrides it.
import type { Host } from '../../src/runtime/host.ts';

export function fakeHost(overrides: Partial<Host> = {}): Host {
  return {
    shimPath: '/nonexistent',
    readFile: async () => '',
    writeFile: async () => {},
    mkdir: async () => {},
    rmdir: async () => {},
    exists: () => true,
    subdirs: async () => [],
    kill: () => true,
    spawnShim: () => {
      throw new Error('not in this test');
    },
    run: async () => ({ stdout: '', exitCode: 0 }),
    ...overrides,
  };
}
