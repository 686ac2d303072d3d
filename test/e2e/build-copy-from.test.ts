// COPY --from through `gantry-shim fs copy` on the real runtime: a source path is resolved inside
// the stage's root (a symlink on the way leads to the stage's file, never the host's: BuildKit's
// rule), wildcards in any component, an image as the source, hard links and owners kept, and
// --chmod/--chown of a copied symlink change the link only: a stage linking to a host file cannot
// make the build touch that file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { buildContext } from '../helpers/build-context.ts';

const IMG = 'gantry-test/busybox:latest';

test(
  'COPY --from: in-root resolution, wildcards, image source, links never followed out',
  { timeout: 300_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const canary = join(r.root, 'canary.txt');
    writeFileSync(canary, 'host file\n');
    chmodSync(canary, 0o600);
    const dir = buildContext(r, 'copy-from', {
      Dockerfile: `FROM ${IMG} AS src
RUN mkdir -p /real/sub /d1 /d2 && echo in-stage > /real/f && ln -s /real /link && ln -s /etc /hostetc \\
 && echo one > /d1/a.txt && echo two > /d2/a.txt && echo skip > /d2/b.log \\
 && echo hard > /real/h1 && ln /real/h1 /real/h2 && chown 1234:5678 /real/f \\
 && ln -s ${canary} /canary-link
FROM ${IMG}
COPY --from=src /link/f /via-link.txt
COPY --from=src /hostetc/passwd /stage-passwd
COPY --from=src /d*/a.txt /globbed/
COPY --from=src /real /copied/
COPY --from=${IMG} /etc/group /from-image-group
COPY --from=src --chmod=777 --chown=42:42 /canary-link /canary-copy
CMD ["sh", "-c", "cat /via-link.txt; stat -c '%u:%g' /copied/f; ls /globbed; stat -c %h /copied/h1; readlink /canary-copy; stat -c '%u:%g' /canary-copy"]
`,
    });
    const b = await r.gantry(['image', 'build', '-t', 'cf:1', dir]);
    assert.equal(b.exitCode, 0, b.stderr);
    const run = await r.gantry(['container', 'run', '--rm', 'cf:1']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), ['in-stage', '1234:5678', 'a.txt', '2', canary, '42:42']);
    for (const [copy, original] of [
      ['/stage-passwd', '/etc/passwd'], // the stage's, not the host's
      ['/from-image-group', '/etc/group'],
    ] as const) {
      const same = await r.gantry(['container', 'run', '--rm', 'cf:1', 'cmp', copy, original]);
      assert.equal(same.exitCode, 0, `${copy} is the image's ${original}: ${same.stdout}${same.stderr}`);
    }
    assert.equal(statSync(canary).mode & 0o777, 0o600, '--chmod did not reach the host file the link names');
    assert.equal(statSync(canary).uid, 0, '--chown did not reach the host file the link names');
    const missing = buildContext(r, 'copy-from-missing', {
      Dockerfile: `FROM ${IMG} AS src\nFROM ${IMG}\nCOPY --from=src /nope* /x/\n`,
    });
    const m = await r.gantry(['image', 'build', missing]);
    assert.notEqual(m.exitCode, 0);
    assert.match(m.stderr, /Dockerfile:3.*--from=src: nope\*: not found/);
  },
);
