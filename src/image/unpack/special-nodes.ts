// What Node cannot create itself: device nodes and fifos (no mknod(2) binding) and xattrs (no
// setxattr(2) binding). Each layer batches them into ONE mknod script and ONE `setfattr
// --restore`, so a layer with thousands of whiteouts still costs two processes. execa is loaded
// on first use: most layers need neither, and it costs a CLI start ~100 ms.
import { RuntimeError } from '../../common/errors.ts';

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
    `./${n.rel}`, n.type === 'char' ? 'c' : n.type === 'block' ? 'b' : 'p',
    (n.mode & 0o7777).toString(8), String(n.major), String(n.minor),
  ]);
  const { execa } = await import('execa');
  const r = await execa('sh', ['-c', MKNOD_LOOP, 'sh', ...args], { cwd: root, reject: false });
  if (r.exitCode !== 0) throw new RuntimeError(`image ${label}: creating device nodes failed (mknod): ${r.stderr.trim()}`);
}

export interface XattrSpec {
  readonly rel: string;
  readonly name: string;
  readonly value: Buffer;
}

/** getfattr's dump format quotes file names with octal escapes; setfattr reads them back. */
function quotePath(p: string): string {
  let out = '';
  for (const byte of Buffer.from(p, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._/+@:,-]/.test(c) ? c : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export async function setXattrs(root: string, xattrs: readonly XattrSpec[], label: string): Promise<void> {
  if (xattrs.length === 0) return;
  const byFile = new Map<string, XattrSpec[]>();
  for (const x of xattrs) byFile.set(x.rel, [...(byFile.get(x.rel) ?? []), x]);
  let dump = '';
  for (const [rel, list] of byFile) {
    dump += `# file: ${quotePath(rel === '' ? '.' : rel)}\n`;
    for (const x of list) dump += `${x.name}=0s${x.value.toString('base64')}\n`;
    dump += '\n';
  }
  // -h: never follow a symlink, the xattr belongs to the link itself.
  const { execa } = await import('execa');
  const r = await execa('setfattr', ['-h', '--restore=-'], { cwd: root, input: dump, reject: false });
  if (r.exitCode !== 0) throw new RuntimeError(`image ${label}: setting xattrs failed (setfattr): ${r.stderr.trim()}`);
}
