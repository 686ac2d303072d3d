// watch's sync shim (`gantry-shim fs sync` through syncIn): owner and mode of the files it makes on
// each of its paths (with and without a chown, a set-gid parent, set-id modes), a directory kept
// open across the records of one directory and dropped when a record removes it, and a batch sent
// the moment the idle process is told to end (it once went to the ending process and failed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDLE_MS, syncIn } from '../../../src/common/in-root-sync.ts';

function scratch(): { host: string; root: string; done: () => void } {
  const d = mkdtempSync(join(tmpdir(), 'gantry-sync-'));
  mkdirSync(join(d, 'host'));
  mkdirSync(join(d, 'root', 'app'), { recursive: true });
  return { host: join(d, 'host'), root: join(d, 'root'), done: () => rmSync(d, { recursive: true, force: true }) };
}

const mode = (p: string): number => statSync(p).mode & 0o7777;
const owner = (p: string): string => `${statSync(p).uid}:${statSync(p).gid}`;

test('files get the owner asked for and the host mode, set-id bits included', async () => {
  const s = scratch();
  try {
    for (const [name, m] of [['plain', 0o640], ['exec', 0o755], ['suid', 0o4755], ['sgid', 0o2750]] as const) {
      writeFileSync(join(s.host, name), name);
      chmodSync(join(s.host, name), m);
    }
    const names = ['plain', 'exec', 'suid', 'sgid'];
    const records = names.map((n) => ({ from: join(s.host, n), to: `/app/${n}` }));
    await syncIn(s.root, records, { uid: 1234, gid: 5678 });
    for (const n of names) assert.equal(owner(join(s.root, 'app', n)), '1234:5678', n);
    assert.deepEqual(
      names.map((n) => mode(join(s.root, 'app', n))),
      [0o640, 0o755, 0o4755, 0o2750],
    );
    // the process's own user: no chown needed, the mode still exact whatever the umask
    await syncIn(s.root, records.map((r) => ({ ...r, to: r.to.replace('/app/', '/app/own-') })), { uid: 0, gid: 0 });
    assert.deepEqual(
      names.map((n) => [owner(join(s.root, 'app', `own-${n}`)), mode(join(s.root, 'app', `own-${n}`))]),
      [['0:0', 0o640], ['0:0', 0o755], ['0:0', 0o4755], ['0:0', 0o2750]],
    );
    assert.equal(readFileSync(join(s.root, 'app', 'own-suid'), 'utf8'), 'suid');
  } finally {
    s.done();
  }
});

test('in a set-gid directory the file still gets the group asked for', async () => {
  const s = scratch();
  try {
    mkdirSync(join(s.root, 'app', 'shared'));
    chownSync(join(s.root, 'app', 'shared'), 0, 4321);
    chmodSync(join(s.root, 'app', 'shared'), 0o2775);
    writeFileSync(join(s.host, 'f'), 'x');
    await syncIn(s.root, [{ from: join(s.host, 'f'), to: '/app/shared/f' }], { uid: 0, gid: 0 });
    assert.equal(owner(join(s.root, 'app', 'shared', 'f')), '0:0');
  } finally {
    s.done();
  }
});

test('one batch: files of one directory, its removal, new files in it, a directory replaced by a file', async () => {
  const s = scratch();
  try {
    mkdirSync(join(s.root, 'app', 'was-dir', 'deep'), { recursive: true });
    for (const n of ['a', 'b', 'c', 'was-dir']) writeFileSync(join(s.host, n), n);
    const f = (n: string) => join(s.host, n);
    await syncIn(s.root, [
      { from: f('a'), to: '/app/d/a' },
      { from: f('b'), to: '/app/d/b' },
      { to: '/app/d' },
      { from: f('c'), to: '/app/d/c' },
      { from: f('was-dir'), to: '/app/was-dir' },
    ]);
    assert.equal(readFileSync(join(s.root, 'app', 'd', 'c'), 'utf8'), 'c');
    assert.throws(() => statSync(join(s.root, 'app', 'd', 'a')), /ENOENT/);
    assert.equal(readFileSync(join(s.root, 'app', 'was-dir'), 'utf8'), 'was-dir');
  } finally {
    s.done();
  }
});

test('a batch sent just as the idle process is told to end is applied by a new one', async () => {
  const s = scratch();
  try {
    writeFileSync(join(s.host, 'f'), 'one');
    await syncIn(s.root, [{ from: join(s.host, 'f'), to: '/app/f' }]);
    // The idle timer was set before syncIn resolved: a timer of the same length set now runs right
    // after it, in the same turn, before the ending process can exit.
    await new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        writeFileSync(join(s.host, 'f'), 'two');
        syncIn(s.root, [{ from: join(s.host, 'f'), to: '/app/f' }]).then(resolve, reject);
      }, IDLE_MS),
    );
    assert.equal(readFileSync(join(s.root, 'app', 'f'), 'utf8'), 'two');
  } finally {
    s.done();
  }
});
