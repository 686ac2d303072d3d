// node:crypto loads streams and a dozen internal modules (≈ 7 ms of a cold `gantry config` on a
// 2-core machine, measured), yet most commands hash nothing: a `down` neither hashes nor draws a
// random name. Modules on every command's path take their hashes and random suffixes from here,
// which loads node:crypto on first use instead of at start (test/e2e/down-builtins.test.ts).
import type { Hash } from 'node:crypto';

export function sha256(): Hash {
  return process.getBuiltinModule('node:crypto').createHash('sha256');
}

/** `bytes` random bytes as hex (temp-file suffixes, interface names). */
export function randomHex(bytes: number): string {
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}
