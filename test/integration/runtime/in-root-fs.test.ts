// The in-root file layer (common/in-root-fs.ts through `gantry-shim fs`) on a real tree: absolute
// links restart at the root, `..` stops there, magic links are refused, the last link is followed
// only when asked, copies keep links as links and replace (never write through) a link in their
// way, writes are atomic, mkdir -p never leaves the root, and a layer stack is seen merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { copyIn, layerStack, listIn, mkdirIn, readIn, statIn, writeIn } from '../../../src/common/in-root-fs.ts';

test('in-root file operations keep every path inside its root', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-inroot-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'root');
  const host = join(dir, 'host');
  mkdirSync(join(root, 'data/sub'), { recursive: true });
  mkdirSync(join(root, 'etc'));
  mkdirSync(host);
  writeFileSync(join(host, 'canary'), 'host canary\n');
  writeFileSync(join(root, 'etc/passwd'), 'inside\n');
  writeFileSync(join(root, 'data/sub/f'), 'f\n');
  chownSync(join(root, 'data/sub/f'), 1234, 4321);
  symlinkSync('/etc', join(root, 'data/abs'));
  symlinkSync('../../../../../../etc', join(root, 'data/up'));
  symlinkSync(host, join(root, 'data/host'));
  symlinkSync('/proc/self/root/etc', join(root, 'data/magic'));
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));
  const at = (path: string) => ({ root, path });

  assert.equal((await readIn(at('/data/abs/passwd'))).toString(), 'inside\n');
  assert.equal((await readIn(at('/data/up/passwd'))).toString(), 'inside\n');
  assert.equal(await statIn(at('/data/host/canary'), true), undefined, 'a host path names the same path inside');
  await assert.rejects(readIn(at('/data/magic/passwd')), /data\/magic/);
  assert.equal((await statIn(at('/data/abs'), false))?.type, 'link');
  assert.equal((await statIn(at('/data/abs'), true))?.type, 'dir');
  await assert.rejects(statIn(at('/loop1/x'), true), /symbolic links/);

  const out = join(dir, 'out');
  mkdirSync(out);
  await copyIn(at('/data'), { root: '/', path: join(out, 'data') }, { owners: true });
  assert.equal(readlinkSync(join(out, 'data/host')), host, 'links are copied as links');
  assert.equal(statSync(join(out, 'data/sub/f')).uid, 1234);
  await copyIn({ root: '/', path: join(host, 'canary') }, at('/data/host'));
  assert.equal(lstatSync(join(root, 'data/host')).isFile(), true, 'a link in the way is replaced');
  assert.equal(readFileSync(join(host, 'canary'), 'utf8'), 'host canary\n');

  await writeIn(at('/data/abs/written'), 'w\n', 0o600);
  assert.equal(readFileSync(join(root, 'etc/written'), 'utf8'), 'w\n');
  assert.equal(statSync(join(root, 'etc/written')).mode & 0o777, 0o600);
  await mkdirIn(at('/data/up/new/deep'));
  assert.ok(statSync(join(root, 'etc/new/deep')).isDirectory());
  assert.deepEqual(
    (await listIn(at('/data/sub'))).map((e) => `${e.type} ${e.name}`),
    ['file f'],
  );

  const l1 = join(dir, 'l1');
  const l2 = join(dir, 'l2');
  mkdirSync(join(l1, 'etc'), { recursive: true });
  mkdirSync(join(l2, 'etc'), { recursive: true });
  writeFileSync(join(l1, 'etc/low'), 'low\n');
  writeFileSync(join(l2, 'etc/high'), 'high\n');
  execFileSync('setfattr', ['-n', 'user.gantry', '-v', 'kept', join(l2, 'etc/high')]);
  symlinkSync('/etc', join(l1, 'data'));
  mkdirSync(join(dir, 'mnt'));
  mkdirSync(join(dir, 'vol'));
  await copyIn(
    { root: join(dir, 'mnt'), path: '/data' },
    { root: '/', path: join(dir, 'vol') },
    { contents: true, followLink: true, xattrs: true },
    layerStack([l1, l2], join(dir, 'mnt')),
  );
  assert.deepEqual(
    [readFileSync(join(dir, 'vol/low'), 'utf8'), readFileSync(join(dir, 'vol/high'), 'utf8')],
    ['low\n', 'high\n'],
  );
  assert.match(execFileSync('getfattr', ['-n', 'user.gantry', join(dir, 'vol/high')]).toString(), /user.gantry="kept"/);
});

test('a ".." resolved in the root while the host renames files is retried, not failed with EAGAIN', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-inroot-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'root');
  const spin = join(dir, 'spin');
  mkdirSync(join(root, 'a/b/c'), { recursive: true });
  mkdirSync(spin);
  writeFileSync(join(root, 'f'), 'inside\n');
  symlinkSync(`${'../'.repeat(20)}f`, join(root, 'a/b/c/up')); // many "..": many chances per read
  // Any rename on the host while openat2 walks a ".." makes the kernel answer EAGAIN (it cannot
  // prove the walk stayed inside): a busy host does that all the time.
  const loop =
    'import os,sys\nos.chdir(sys.argv[1]); open("x","w").close()\nwhile True: os.rename("x","y"); os.rename("y","x")';
  const renamer = spawn('python3', ['-c', loop, spin], { stdio: 'ignore' });
  const ended = new Promise((resolve) => renamer.once('exit', resolve));
  try {
    for (let i = 0; i < 150; i++) {
      assert.equal((await readIn({ root, path: '/a/b/c/up' })).toString(), 'inside\n', `read ${i}`);
    }
  } finally {
    renamer.kill('SIGKILL'); // before the dir goes: a live loop keeps refilling it
    await ended;
  }
});
