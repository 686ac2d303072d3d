// Records this process's child_process.spawn calls while fn runs, for tests that bound how many
// processes a path forks (issue 20: each spawn forks the whole gantry heap).
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

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
