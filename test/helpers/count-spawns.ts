// Records this process's child_process.spawn calls while fn runs, for tests that bound how many
// processes a path forks (issue 20: each spawn forks the whole gantry heap).
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

/** Names the shim's netlink executor by its mode (`netlink`, `netlink --rules`), any other spawn by its file. */
export const netlinkLauncher = (file: string, args: readonly string[]): string =>
  file.endsWith('/gantry-shim') && args[0] === 'netlink' ? `netlink${args[1] === '--rules' ? ' --rules' : ''}` : file;

/** name maps a spawn (file, args) to what the test counts. */
export async function countingSpawns<T>(
  fn: () => Promise<T>,
  name: (file: string, args: readonly string[]) => string = (file) => file,
): Promise<{ result: T; spawns: string[] }> {
  const spawns: string[] = [];
  const real = childProcess.spawn;
  childProcess.spawn = ((file: string, args: readonly string[], ...rest: unknown[]) => {
    spawns.push(name(file, Array.isArray(args) ? args : []));
    return (real as (...a: unknown[]) => unknown)(file, args, ...rest);
  }) as typeof childProcess.spawn;
  syncBuiltinESMExports();
  try {
    return { result: await fn(), spawns };
  } finally {
    childProcess.spawn = real;
    syncBuiltinESMExports();
  }
}
