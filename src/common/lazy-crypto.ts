// node:crypto loads streams and a dozen internal modules (≈ 7 ms of a cold `gantry config` on a
// 2-core machine, measured), yet most commands hash nothing. Modules on every command's path take
// their hashes from here, which loads node:crypto on the first hash instead of at start.
import type { Hash } from 'node:crypto';

export function sha256(): Hash {
  return process.getBuiltinModule('node:crypto').createHash('sha256');
}
