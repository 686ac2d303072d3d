// Compose `build:` through the built CLI: `up --build -d --wait` builds the service's image
// (named <project>-<service>) from its context and the container answers (busybox httpd);
// `gantry build` rebuilds from the cache; a build key gantry lacks (ssh) is refused in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test(
  'compose build: up --build --wait serves what was built; gantry build is cached; ssh is refused',
  { timeout: 300_000 },
  async (t) => {
    const r = await e2eRoot(t.after.bind(t));
    const port = await freePort();
    const project = `cb${process.pid}`;
    const dir = r.project(project, {
      'compose.yaml': `name: ${project}
services:
  web:
    build:
      context: ./web
      args: { GREETING: built-by-compose }
      labels: { from.compose: "yes" }
    ports: ["127.0.0.1:${port}:8080"]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/"]
      interval: 1s
`,
    });
    mkdirSync(join(dir, 'web'));
    writeFileSync(
      join(dir, 'web', 'Dockerfile'),
      `FROM ${IMG}
ARG GREETING
WORKDIR /www
RUN echo "$GREETING" > index.html
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`,
    );
    const up = await r.gantry(['up', '--build', '-d', '--wait'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.equal(page, 'built-by-compose\n');
    const inspect = await r.gantry(['image', 'inspect', `${project}-web`]);
    assert.match(inspect.stdout, /from\.compose/);
    const again = await r.gantry(['build'], { cwd: dir });
    assert.equal(again.exitCode, 0, again.stderr);
    assert.match(again.stderr, /RUN echo[^\n]*\n#\d+ CACHED/);
    await r.gantry(['down', '-t', '1'], { cwd: dir });

    const ssh = r.project(`${project}ssh`, {
      'compose.yaml': `services:\n  app:\n    build:\n      context: .\n      ssh: [default]\n`,
      Dockerfile: `FROM ${IMG}\n`,
    });
    const refused = await r.gantry(['build'], { cwd: ssh });
    assert.notEqual(refused.exitCode, 0);
    assert.match(refused.stderr, /services\.app\.build\.ssh/);
    assert.equal(
      refused.stderr
        .trim()
        .split('\n')
        .filter((l) => !/warn|WARN/.test(l)).length,
      1,
      refused.stderr,
    );
  },
);
