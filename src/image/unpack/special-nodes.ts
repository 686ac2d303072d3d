// What Node cannot create itself: device nodes and fifos (no mknod(2) binding) and xattrs (no
// setxattr(2) binding). Each layer batches them: ONE mknod script, and ONE `gantry-shim xattrs`
// that reads length-prefixed records and sets each xattr on an entry it resolves beneath the
// layer root with openat2, never following a symlink. No text protocol carries a path or a
// name, so no byte of either can start a record of its own. execa is loaded on first use: most
// layers need neither, and it costs a CLI start ~100 ms.
import { RuntimeError } from '../../common/errors.ts';
import { shimBinary } from '../../common/shim-binary.ts';

export interface NodeSpec {
  readonly rel: string; // relative to the layer root, already validated
  readonly type: 'char' | 'block' | 'fifo';
  readonly major: number;
  readonly minor: number;
  readonly mode: number;
}

// Args come in groups of five (name type mode major minor); fifos ignore major/minor.
const MKNOD_LOOP =
  'while [ $# -gt 0 ]; do ' +
  'if [ "$2" = p ]; then mknod -m "$3" -- "$1" p || exit 1; ' +
  'else mknod -m "$3" -- "$1" "$2" "$4" "$5" || exit 1; fi; shift 5; done';

export async function makeNodes(root: string, nodes: readonly NodeSpec[], label: string): Promise<void> {
  if (nodes.length === 0) return;
  const args = nodes.flatMap((n) => [
    `./${n.rel}`,
    n.type === 'char' ? 'c' : n.type === 'block' ? 'b' : 'p',
    (n.mode & 0o7777).toString(8),
    String(n.major),
    String(n.minor),
  ]);
  const { execa } = await import('execa');
  const r = await execa('sh', ['-c', MKNOD_LOOP, 'sh', ...args], { cwd: root, reject: false });
  if (r.exitCode !== 0)
    throw new RuntimeError(`image ${label}: creating device nodes failed (mknod): ${r.stderr.trim()}`);
}

export interface XattrSpec {
  readonly rel: string; // relative to the layer root ('' is the root), already validated
  readonly name: string; // already checked by xattr-policy.ts (or gantry's own)
  readonly value: Buffer;
}

function field(b: Buffer): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.length);
  return [len, b];
}

/** The records `gantry-shim xattrs` reads: path, name, value, each u32-LE length + bytes. */
export function xattrRecords(xattrs: readonly XattrSpec[]): Buffer {
  return Buffer.concat(
    xattrs.flatMap((x) => [...field(Buffer.from(x.rel)), ...field(Buffer.from(x.name)), ...field(x.value)]),
  );
}

export async function setXattrs(root: string, xattrs: readonly XattrSpec[], label: string): Promise<void> {
  if (xattrs.length === 0) return;
  const { execa } = await import('execa');
  const shim = shimBinary();
  const r = await execa(shim, ['xattrs', root], { input: xattrRecords(xattrs), reject: false });
  if (r.exitCode !== 0) {
    const why = r.failed && r.exitCode === undefined ? `cannot run ${shim} (${r.shortMessage})` : r.stderr.trim();
    throw new RuntimeError(`image ${label}: setting xattrs failed: ${why}`);
  }
}
