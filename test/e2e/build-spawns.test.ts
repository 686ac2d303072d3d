// The processes an `image build` starts, counted: on a loaded 2-core host each spawn from the CLI
// (a fork of a ~90 MB process) costs it 5–25 ms of its own time, most of an edited build's
// budget (issue 16: ≤ 0.5 s). A layer gantry writes itself (COPY from the context, WORKDIR) has no
// xattrs to list, so a FROM scratch build starts no process at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GANTRY_BIN } from '../helpers/cli.ts';

// Preloaded: every process the CLI spawns (execFile and spawn both end in ChildProcess#spawn).
const HOOK = `
const { ChildProcess } = require('node:child_process');
const spawn = ChildProcess.prototype.spawn; const seen = [];
ChildProcess.prototype.spawn = function (o) { seen.push(o.args.slice(0, 2).join(' ')); return spawn.call(this, o); };
process.on('exit', () => process.stderr.write('spawned: ' + JSON.stringify(seen) + '\\n'));
`;

test('a FROM scratch build with WORKDIR and COPY starts no process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-build-spawns-'));
  try {
    writeFileSync(join(dir, 'hook.cjs'), HOOK);
    mkdirSync(join(dir, 'ctx', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'ctx', 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'ctx', 'sub', 'b.txt'), 'b\n');
    writeFileSync(join(dir, 'ctx', 'Dockerfile'), 'FROM scratch\nWORKDIR /app\nCOPY a.txt sub ./\n');
    const r = spawnSync(process.execPath, ['-r', join(dir, 'hook.cjs'), GANTRY_BIN, 'image', 'build', 'ctx'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GANTRY_ROOT: join(dir, 'root') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /COPY a.txt sub/);
    assert.deepEqual(JSON.parse(/spawned: (.*)/.exec(r.stderr)![1]!), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
