// Attack corpus, class "image": hostile layer tars (xattr names that smuggle text-protocol
// lines, whiteouts naming "..", path escapes by name, through planted symlinks and hard links,
// device nodes) and hostile archives, each loaded from a docker-save and an OCI archive AND
// pulled from a real registry. Held means: the image is refused, no host file changed or gained
// an xattr, the store's shared temp dir survived, and no layer directory was left behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { openImageStore } from '../../../src/image/index.ts';
import { unpackLayer } from '../../../src/image/unpack/unpack-layer.ts';
import { xattrRecords } from '../../../src/image/unpack/special-nodes.ts';
import { packagePath } from '../../../src/common/package-root.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import type { RawEntry } from '../../helpers/tar-build.ts';
import {
  CAP_SETUID,
  craftImage,
  craftLayer,
  dockerArchive,
  ociArchive,
  pushRaw,
  sandbox,
  sha,
  treeState,
  xattrNames,
  type CraftedImage,
  type Sandbox,
} from '../../helpers/attack-image.ts';

let reg: TestRegistry;
let repoN = 0;
before(async () => {
  reg = await startRegistry();
});
after(async () => {
  await reg?.stop();
});

type Route = 'docker-save' | 'oci' | 'pull';
const ROUTES: readonly Route[] = ['docker-save', 'oci', 'pull'];
// The many path-escape variants share one unpacker whatever the archive format: in CI they go
// through docker-save and pull only; bench/attacks.sh (GANTRY_ATTACKS_FULL=1) runs all three.
const FULL = process.env['GANTRY_ATTACKS_FULL'] === '1';
const ESCAPE_ROUTES: readonly Route[] = FULL ? ROUTES : ['docker-save', 'pull'];

/** Brings img into the store at sb by one route; resolves to the error (undefined: accepted). */
async function bring(sb: Sandbox, img: CraftedImage, route: Route): Promise<Error | undefined> {
  const store = openImageStore(sb.store);
  try {
    if (route === 'pull') {
      const repo = `attack/image${++repoN}`;
      await pushRaw(reg.host, repo, '1', img);
      await store.pull(`${reg.host}/${repo}:1`);
    } else {
      const file = join(sb.work, `${route}.tar`);
      writeFileSync(
        file,
        route === 'oci' ? ociArchive(img, 'docker.io/attack/img:1') : dockerArchive(img, 'attack/img:1'),
      );
      await store.load(file);
    }
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

const layerDirs = (sb: Sandbox): string[] => readdirSync(join(sb.store, 'layers')).filter((n) => !n.endsWith('.json'));

/** Runs one hostile layer through every route; returns the problems found (empty: held). */
async function attack(
  what: string,
  entries: (sb: Sandbox) => RawEntry[],
  o: { mayAccept?: boolean; routes?: readonly Route[] } = {},
): Promise<string[]> {
  const problems: string[] = [];
  for (const route of o.routes ?? ROUTES) {
    const sb = sandbox();
    try {
      const before = sb.outside();
      const err = await bring(sb, craftImage([craftLayer(entries(sb))]), route);
      const where = `${what} via ${route}`;
      if (!err && !o.mayAccept) problems.push(`${where}: accepted`);
      const now = sb.outside();
      if (JSON.stringify(now) !== JSON.stringify(before))
        problems.push(
          `${where}: outside the layer changed: ${now.filter((l) => !before.includes(l)).join(' | ') || 'entries removed'}`,
        );
      if (err && existsSync(join(sb.store, 'layers')) && layerDirs(sb).length)
        problems.push(`${where}: layer directory left: ${layerDirs(sb).join(' ')}`);
      const temps = existsSync(join(sb.store, 'tmp'))
        ? readdirSync(join(sb.store, 'tmp')).filter((n) => !n.startsWith('canary'))
        : ['(tmp/ removed)'];
      if (temps.length) problems.push(`${where}: temp leftovers: ${temps.join(' ')}`);
    } finally {
      sb.cleanup();
    }
  }
  return problems;
}

const file = (name: string, extra: Partial<RawEntry> = {}): RawEntry => ({ name, data: 'payload\n', ...extra });

test('attack image-01: an xattr name with a newline sets file capabilities on a host binary is held', async () => {
  const problems = await attack('xattr name smuggling a "# file:" block', (sb) => [
    file('f', { pax: { [`SCHILY.xattr.user.a\n\n# file: ${sb.victimFile}\nsecurity.capability`]: CAP_SETUID } }),
    file('g', { pax: { [`SCHILY.xattr.user.a\n\n# file: ${sb.victimFile}\nuser.pwned`]: 'yes' } }),
  ]);
  assert.deepEqual(problems, []);
});

test('attack image-02: xattrs overlayfs reads as instructions (trusted.overlay.*, user.overlay.*) are held', async () => {
  const problems: string[] = [];
  const cases: Record<string, string> = {
    'newline-smuggled trusted.overlay.opaque': 'SCHILY.xattr.user.a\ntrusted.overlay.opaque',
    'trusted.overlay.redirect': 'SCHILY.xattr.trusted.overlay.redirect',
    'user.overlay.opaque': 'SCHILY.xattr.user.overlay.opaque',
    'trusted.evil': 'SCHILY.xattr.trusted.evil',
  };
  for (const [what, key] of Object.entries(cases)) {
    for (const route of ROUTES) {
      const sb = sandbox();
      try {
        const err = await bring(
          sb,
          craftImage([craftLayer([{ name: 'd/', type: 'dir', pax: { [key]: 'y' } }, file('d/f')])]),
          route,
        );
        const found = layerDirs(sb)
          .flatMap((d) => treeState(join(sb.store, 'layers', d)))
          .filter((l) => /trusted\.|user\.overlay/.test(l));
        if (found.length)
          problems.push(`${what} via ${route}: ${err ? 'refused but ' : ''}layer has ${found.join(' | ')}`);
      } finally {
        sb.cleanup();
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('attack image-03: xattrs and device nodes applied before the layer digest is verified is held', async (t) => {
  // Straight at the unpacker, into a directory the test owns: a diff_id mismatch must stop it
  // before any privileged metadata (xattr, whiteout node) is applied.
  const dir = mkdtempSync(join(tmpdir(), `gantry-attack-unpack-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const layer = craftLayer([file('f', { pax: { 'SCHILY.xattr.user.marker': 'applied' } }), { name: '.wh.gone' }]);
  const wrong = sha(Buffer.from('another layer'));
  await assert.rejects(
    unpackLayer(
      (async function* () {
        yield layer;
      })(),
      dir,
      'attack/img',
      wrong,
    ),
    /does not match/,
  );
  const applied = treeState(dir).filter((l) => / other |user\.marker/.test(l));
  assert.deepEqual(applied, [], 'nothing privileged applied to a layer that failed verification');

  // Through load and pull: a config lying about the diff_id, and a blob corrupted in the registry.
  const problems: string[] = [];
  const lying = craftImage([layer], { diffIds: [wrong] });
  for (const route of ROUTES) {
    const sb = sandbox();
    try {
      const err = await bring(sb, lying, route);
      if (!err) problems.push(`diff_id mismatch via ${route}: accepted`);
      if (layerDirs(sb).length) problems.push(`diff_id mismatch via ${route}: layer directory left`);
    } finally {
      sb.cleanup();
    }
  }
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const img = craftImage([layer]);
  await pushRaw(reg.host, 'attack/corrupt', '1', img);
  const blob = reg.blobFile(sha(layer));
  const data = readFileSync(blob);
  const at = data.indexOf('payload');
  data[at] = data[at]! ^ 0x20;
  writeFileSync(blob, data);
  await assert.rejects(openImageStore(sb.store).pull(`${reg.host}/attack/corrupt:1`), /digest mismatch|does not match/);
  if (layerDirs(sb).length) problems.push('corrupt blob via pull: layer directory left');
  if (readdirSync(join(sb.store, 'blobs', 'sha256')).length) problems.push('corrupt blob via pull: blob kept');

  // A stored blob whose bytes no longer match its name (here a gzip header byte: same diff_id)
  // is not unpacked again from disk.
  const sb2 = sandbox();
  t.after(() => sb2.cleanup());
  const gz = gzipSync(layer);
  const archive = join(sb2.work, 'gz.tar');
  writeFileSync(archive, dockerArchive(craftImage([gz], { diffIds: [sha(layer)] }), 'attack/gz:1'));
  const store = openImageStore(sb2.store);
  await store.load(archive);
  for (const n of readdirSync(join(sb2.store, 'layers'))) rmSync(join(sb2.store, 'layers', n), { recursive: true });
  const stored = join(sb2.store, 'blobs', 'sha256', sha(gz).slice(7));
  const tampered = readFileSync(stored);
  tampered[9] = tampered[9]! ^ 0x01; // gzip OS byte: the content inflates the same
  writeFileSync(stored, tampered);
  if (
    !(await store.load(archive).then(
      () => false,
      () => true,
    ))
  )
    problems.push('tampered stored blob: unpacked again');
  if (layerDirs(sb2).length) problems.push('tampered stored blob: layer directory left');
  assert.deepEqual(problems, []);
});

test('attack image-04: a whiteout ".wh..." removing the store\'s shared temp dir is held', async () => {
  const problems = await attack('.wh... at the layer root', () => [file('a'), { name: '.wh...' }]);
  problems.push(
    ...(await attack('.wh... in a subdirectory', () => [{ name: 'x/', type: 'dir' }, { name: 'x/.wh...' }])),
  );
  assert.deepEqual(problems, []);
});

test('attack image-05: whiteouts naming the layer itself (".wh..", ".wh.") are held', async () => {
  const problems: string[] = [];
  for (const name of ['.wh..', 'a/.wh..', '.wh.', 'a/.wh.']) {
    problems.push(
      ...(await attack(name, () => [{ name: 'a/', type: 'dir' }, file('a/keep'), { name }], { routes: ESCAPE_ROUTES })),
    );
  }
  assert.deepEqual(problems, []);
});

test('attack image-06: entry names escaping the layer (absolute, "..", pax path) are held', async () => {
  const problems: string[] = [];
  const cases: Record<string, (sb: Sandbox) => RawEntry[]> = {
    absolute: (sb) => [file(`${sb.victim}/planted`)],
    'dot-dot': () => [file('../../../victim/planted')],
    'inner dot-dot': () => [{ name: 'a/', type: 'dir' }, file('a/../../../../victim/planted')],
    'pax path': () => [file('innocent', { pax: { path: '../../../victim/planted' } })],
    'absolute whiteout': (sb) => [{ name: `${sb.victim}/.wh.data` }],
    'dot-dot whiteout': () => [{ name: '../../../victim/.wh.data' }],
  };
  for (const [what, entries] of Object.entries(cases))
    problems.push(...(await attack(what, entries, { routes: ESCAPE_ROUTES })));
  assert.deepEqual(problems, []);
});

test('attack image-07: entries through a symlink planted earlier in the same layer are held', async () => {
  const problems: string[] = [];
  const cases: Record<string, (sb: Sandbox) => RawEntry[]> = {
    'file through symlink': (sb) => [{ name: 's', type: 'symlink', linkname: sb.victim }, file('s/planted')],
    'relative symlink': () => [{ name: 's', type: 'symlink', linkname: '../../../victim' }, file('s/planted')],
    'whiteout through symlink': (sb) => [{ name: 's', type: 'symlink', linkname: sb.victim }, { name: 's/.wh.data' }],
    'opaque dir through symlink': (sb) => [
      { name: 's', type: 'symlink', linkname: sb.victim },
      { name: 's/.wh..wh..opq' },
    ],
    'device node through symlink': (sb) => [
      { name: 's', type: 'symlink', linkname: sb.victim },
      { name: 's/null', type: 'char', devmajor: 1, devminor: 3 },
    ],
    'fifo through symlink': (sb) => [
      { name: 's', type: 'symlink', linkname: sb.victim },
      { name: 's/fifo', type: 'fifo' },
    ],
    'dir swapped for symlink': (sb) => [
      { name: 'd/', type: 'dir' },
      file('d/x'),
      { name: 'd', type: 'symlink', linkname: sb.victim },
      file('d/planted'),
    ],
    'pending node then symlink': (sb) => [
      { name: 'd/', type: 'dir' },
      { name: 'd/.wh.data' },
      { name: 'd', type: 'symlink', linkname: sb.victim },
    ],
    'xattr through symlink': (sb) => [
      { name: 's', type: 'symlink', linkname: sb.victim },
      file('s/bin', { pax: { 'SCHILY.xattr.user.pwned': 'yes' } }),
    ],
    'xattr on a symlink to a host file': (sb) => [
      { name: 's', type: 'symlink', linkname: sb.victimFile, pax: { 'SCHILY.xattr.security.capability': CAP_SETUID } },
      { name: '.wh.nothing' },
      file('s/../x'),
    ],
  };
  for (const [what, entries] of Object.entries(cases))
    problems.push(...(await attack(what, entries, { mayAccept: what.startsWith('pending'), routes: ESCAPE_ROUTES })));
  assert.deepEqual(problems, []);
});

test('attack image-08: hard links to files outside the layer are held', async () => {
  const problems: string[] = [];
  const cases: Record<string, (sb: Sandbox) => RawEntry[]> = {
    absolute: (sb) => [{ name: 'h', type: 'hardlink', linkname: sb.victimFile }],
    'dot-dot': () => [{ name: 'h', type: 'hardlink', linkname: '../../../victim/bin' }],
    'through symlink': (sb) => [
      { name: 's', type: 'symlink', linkname: sb.victim },
      { name: 'h', type: 'hardlink', linkname: 's/bin' },
    ],
    'pax linkpath': () => [{ name: 'h', type: 'hardlink', linkname: 'x', pax: { linkpath: '../../../victim/bin' } }],
  };
  for (const [what, entries] of Object.entries(cases))
    problems.push(...(await attack(what, entries, { routes: ESCAPE_ROUTES })));
  assert.deepEqual(problems, []);
});

test('attack image-09: archive paths and digests (manifest.json Layers, OCI index) are held', async () => {
  const problems: string[] = [];
  const img = craftImage([craftLayer([file('f')])]);
  const tries: Record<string, (sb: Sandbox) => Buffer> = {
    'docker-save Layers "../"': () => dockerArchive(img, 'attack/img:1', ['../../victim/bin']),
    'docker-save Layers absolute': (sb) => dockerArchive(img, 'attack/img:1', [sb.victimFile]),
    'OCI manifest not matching its index digest': () =>
      ociArchive(img, 'docker.io/attack/img:1', { manifestName: sha(Buffer.from('other')) }),
  };
  for (const [what, archive] of Object.entries(tries)) {
    const sb = sandbox();
    try {
      const before = sb.outside();
      writeFileSync(join(sb.work, 'a.tar'), archive(sb));
      const err = await openImageStore(sb.store)
        .load(join(sb.work, 'a.tar'))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      if (!err) problems.push(`${what}: accepted`);
      if (JSON.stringify(sb.outside()) !== JSON.stringify(before)) problems.push(`${what}: outside changed`);
      if (layerDirs(sb).length) problems.push(`${what}: layer directory left`);
    } finally {
      sb.cleanup();
    }
  }
  assert.deepEqual(problems, []);
});

test('attack image-10: a benign layer with xattrs, device nodes and whiteouts still unpacks (the checks refuse only attacks)', async () => {
  for (const route of ROUTES) {
    const sb = sandbox();
    try {
      const layer = craftLayer([
        { name: 'bin/', type: 'dir' },
        file('bin/ping', {
          mode: 0o755,
          pax: { 'SCHILY.xattr.security.capability': CAP_SETUID, 'SCHILY.xattr.user.mime': 'x' },
        }),
        { name: 'o/', type: 'dir' },
        { name: 'o/.wh..wh..opq' },
        { name: '.wh.gone' },
        { name: 'dev/', type: 'dir' },
        { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
        { name: 'p', type: 'fifo' },
        { name: 'ln', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'hl', type: 'hardlink', linkname: 'bin/ping' },
      ]);
      const err = await bring(sb, craftImage([layer]), route);
      assert.equal(err, undefined, `${route}: ${err?.message}`);
      const [dir] = layerDirs(sb);
      const root = join(sb.store, 'layers', dir!);
      assert.deepEqual(xattrNames(join(root, 'bin', 'ping')), ['security.capability', 'user.mime']);
      assert.deepEqual(xattrNames(join(root, 'o')), ['trusted.overlay.opaque']);
      assert.match(treeState(root).join('\n'), /\.\/gone other 600 0:0/);
      assert.deepEqual(readdirSync(join(sb.store, 'tmp')), ['canary-of-another-operation']);
    } finally {
      sb.cleanup();
    }
  }
});

test('attack image-11: the native xattr setter given paths that leave the layer (defence in depth) is held', async () => {
  // TypeScript never sends these; the shim must refuse them on its own.
  const sb = sandbox();
  try {
    const root = join(sb.work, 'layer');
    mkdirSync(join(root, 'd'), { recursive: true });
    symlinkSync(sb.victim, join(root, 's'));
    symlinkSync(sb.victimFile, join(root, 'f'));
    symlinkSync('/proc/self/root', join(root, 'p'));
    const before = sb.outside();
    const shim = packagePath('native', 'build', 'gantry-shim');
    const rels = ['s/bin', '../victim/bin', `${sb.victimFile}`, 'd/../../victim/bin', 'p/tmp', 'd/..', '..', 'd/'];
    for (const rel of rels) {
      const r = spawnSync(shim, ['xattrs', root], {
        input: xattrRecords([{ rel, name: 'user.pwned', value: Buffer.from('y') }]),
      });
      assert.notEqual(r.status, 0, `${rel}: accepted`);
    }
    // A symlink entry gets the xattr itself (security.capability on a link: refused by the kernel), never its target.
    spawnSync(shim, ['xattrs', root], {
      input: xattrRecords([{ rel: 'f', name: 'security.capability', value: CAP_SETUID }]),
    });
    const ok = spawnSync(shim, ['xattrs', root], {
      input: xattrRecords([
        { rel: 'd', name: 'user.fine', value: Buffer.from('y') },
        { rel: '', name: 'user.root', value: Buffer.from('y') },
      ]),
    });
    assert.equal(ok.status, 0, ok.stderr.toString());
    assert.deepEqual([xattrNames(join(root, 'd')), xattrNames(root)], [['user.fine'], ['user.root']]);
    assert.deepEqual(sb.outside(), before);
  } finally {
    sb.cleanup();
  }
});
