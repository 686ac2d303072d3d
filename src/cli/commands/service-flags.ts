// Flag values `exec` and `run` share, read as Compose reads them.
export { collect } from './container/open-runtime.ts';

/** `-e K=V` as given; a bare `-e K` takes K from our environment, and is dropped when unset there. */
export function envFlags(values: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return values.flatMap((v) => (v.includes('=') ? [v] : env[v] !== undefined ? [`${v}=${env[v]}`] : []));
}

/** A TTY only when asked for (no -T) and our stdin is a terminal to drive it. */
export const wantsTty = (noTtyFlagAbsent: boolean): boolean => noTtyFlagAbsent && process.stdin.isTTY === true;
