// The README's CI recipe, run as written (the sh block under "## CI recipe", with `gantry` the
// built CLI): a stack up and healthy, the test container's exit code out as the script's (0 when
// it passes, 3 when it fails), and nothing of the project left on the host afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf, type E2eRoot, type HostTraces } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';

function recipe(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## CI recipe\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(section.length > 1 && block, 'README has a "## CI recipe" section with a sh block');
  return block;
}

/** web serves www/index.html; tests checks that it says "all good" (exit 3 when not), after signalling it started. */
function stack(name: string): Record<string, string> {
  return {
    'compose.yaml': `name: ${name}
services:
  web:
    image: ${IMG}
    init: true
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    volumes: [./www:/www:ro]
    healthcheck: {test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"], interval: 1s, retries: 60}
  tests:
    image: ${IMG}
    depends_on: {web: {condition: service_healthy}}
    volumes: [./signal:/signal, results:/results]
    command: ["sh", "-c", "touch /signal/started; sleep 2; if wget -qO- http://web/ | grep -q 'all good'; then echo PASSED; else echo FAILED; exit 3; fi"]
volumes: {results: {}}
`,
  };
}

/** Runs the recipe in the project dir with `gantry` on PATH; snapshots the host while the tests run. */
const projectVolumes = (root: string, name: string): string[] =>
  existsSync(join(root, 'volumes')) ? readdirSync(join(root, 'volumes')).filter((v) => v.startsWith(`${name}_`)) : [];

async function runRecipe(
  e: E2eRoot,
  dir: string,
  name: string,
): Promise<{ code: number; out: string; traces: HostTraces; volumes: string[] }> {
  const bin = join(e.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'gantry'), `#!/bin/sh\nexec '${process.execPath}' '${GANTRY_BIN}' "$@"\n`);
  chmodSync(join(bin, 'gantry'), 0o755);
  mkdirSync(join(dir, 'signal'), { recursive: true });
  const child = spawn('sh', ['-e', '-c', recipe()], {
    cwd: dir,
    env: { ...e.env, PATH: `${bin}:${e.env['PATH']}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  let traces: HostTraces | undefined;
  let volumes: string[] = [];
  const deadline = Date.now() + 120_000;
  while (!traces && Date.now() < deadline) {
    if (existsSync(join(dir, 'signal', 'started'))) {
      traces = tracesOf(e.root, name);
      volumes = projectVolumes(e.root, name);
    } else await new Promise((r) => setTimeout(r, 50));
  }
  const code = await done;
  assert.ok(traces, `the test container never started:\n${out}`);
  return { code, out, traces, volumes };
}

for (const [page, expected] of [
  ['all good', 0],
  ['broken', 3],
] as const) {
  test(`CI recipe from the README: a ${expected === 0 ? 'passing' : 'failing'} test container exits ${expected}, and nothing is left`, async (t) => {
    const e = await e2eRoot((fn) => t.after(fn));
    const name = `e2e${process.pid}ci${expected}`;
    const dir = e.project(name, stack(name));
    mkdirSync(join(dir, 'www'));
    writeFileSync(join(dir, 'www', 'index.html'), `${page}\n`);
    const { code, out, traces, volumes } = await runRecipe(e, dir, name);
    assert.equal(code, expected, out);
    assert.match(out, expected === 0 ? /PASSED/ : /FAILED/);
    // While the tests ran: web and the oneoff, each in its own namespace on the project bridge.
    assert.equal(traces.containers.length, 2, JSON.stringify(traces.containers));
    assert.ok(
      traces.containers.some((c) => new RegExp(`^${name}-tests-run-[0-9a-f]{12}$`).test(c)),
      JSON.stringify(traces.containers),
    );
    assert.equal(traces.netns.length, 2);
    assert.ok(traces.links.length >= 3 && traces.pids.length > 0, JSON.stringify(traces));
    assert.deepEqual(volumes, [`${name}_results`]);
    // Afterwards: no container, namespace, link, mount, cgroup or process; the named volume gone too.
    assert.deepEqual(stillThere(traces, e.root), []);
    assert.deepEqual(projectVolumes(e.root, name), []);
    assert.ok(!existsSync(join(e.root, 'networks', `${name}_default.json`)));
  });
}
