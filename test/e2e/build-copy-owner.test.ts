// What a COPY without --chown/--chmod gives a file, as Docker does: root:root and the source's
// mode and mtime, also in a setgid directory of the base (whose group a new file would inherit),
// while --chown still changes the owner. The COPY skips the chown and chmod calls that change
// nothing (copy-step.ts): this holds it to the same result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext } from '../helpers/build-context.ts';

const IMG = 'gantry-test/busybox:latest';

test('COPY keeps the source mode and mtime and gives root:root, in a setgid directory too', async (t) => {
  const r = await e2eRoot(t.after.bind(t));
  const dir = buildContext(r, 'owner', {
    'run.sh': '#!/bin/sh\n',
    Dockerfile: `FROM ${IMG}
RUN mkdir /sg && chown 0:1000 /sg && chmod 2775 /sg
COPY run.sh /sg/
COPY d/ /sg/d/
COPY d/ /plain/
COPY --chown=1000:1000 d/ /owned/
CMD ["sh", "-c", "stat -c '%n %u:%g %a %Y' /sg/run.sh /sg/d/secret.txt /plain/secret.txt /plain/sub/x /owned/secret.txt"]
`,
  });
  chmodSync(join(dir, 'run.sh'), 0o751);
  mkdirSync(join(dir, 'd', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'd', 'secret.txt'), 's\n');
  chmodSync(join(dir, 'd', 'secret.txt'), 0o600);
  writeFileSync(join(dir, 'd', 'sub', 'x'), 'x\n');
  chmodSync(join(dir, 'd', 'sub', 'x'), 0o4755);
  for (const f of ['run.sh', 'd/secret.txt', 'd/sub/x']) utimesSync(join(dir, f), 1_000_000_000, 1_000_000_000);
  const b = await r.gantry(['image', 'build', '-t', 'owner:1', dir]);
  assert.equal(b.exitCode, 0, b.stderr);
  const run = await r.gantry(['container', 'run', '--rm', 'owner:1']);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n'), [
    '/sg/run.sh 0:0 751 1000000000',
    '/sg/d/secret.txt 0:0 600 1000000000',
    '/plain/secret.txt 0:0 600 1000000000',
    '/plain/sub/x 0:0 4755 1000000000',
    '/owned/secret.txt 1000:1000 600 1000000000',
  ]);
});
