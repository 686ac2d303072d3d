// The live progress view on a terminal (listr2, as Compose's): one line per network, container
// and build step with ✔, its state (Created/Started/Healthy/Stopped/Removed, CACHED/DONE) and a
// duration; plain lines on a pipe, with --progress plain and with CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { gantryOnTty } from '../helpers/tty.ts';

const IMG = 'gantry-test/busybox:latest';
// CSI sequences (colours, cursor moves) and the lone ESC of other controls.
const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\x1b./g, '');
const TIME = String.raw` +\d+\.\ds`;

test('up --wait, stop and down on a terminal draw one line per resource with ✔, state and time', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}pv`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db:
    image: ${IMG}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 1 && touch /tmp/up; while :; do sleep 1; done"]
    healthcheck: {test: ["CMD-SHELL", "[ -f /tmp/up ]"], interval: 250ms, retries: 40}
  web: {image: ${IMG}, init: true, command: [sleep, "900"], depends_on: {db: {condition: service_healthy}}}
`,
  });
  const tty = (args: string[], env: Record<string, string> = {}) =>
    gantryOnTty(args, { cwd: dir, env: { ...e.env, ...env }, columns: 120 });
  const up = await tty(['up', '-d', '--wait']);
  assert.equal(up.exitCode, 0, up.output);
  const view = strip(up.output);
  assert.match(view, new RegExp(`✔ Network ${name}_default +Created${TIME}`), view);
  assert.match(view, new RegExp(`✔ Container ${name}-db-1 +Healthy${TIME}`), view);
  assert.match(view, new RegExp(`✔ Container ${name}-web-1 +(Started|Healthy)${TIME}`), view);
  assert.match(view, /Running 3\/3/, view);

  const stop = await tty(['stop', '-t', '1', 'web']);
  assert.equal(stop.exitCode, 0, stop.output);
  assert.match(strip(stop.output), new RegExp(`✔ Container ${name}-web-1 +Stopped${TIME}`));

  // CI=true on a terminal: plain lines, as a pipe gets.
  const ci = await tty(['down', '-t', '1'], { CI: 'true' });
  assert.equal(ci.exitCode, 0, ci.output);
  assert.match(ci.output, new RegExp(`^ Container ${name}-db-1  Removed$`, 'm'));
  assert.doesNotMatch(ci.output, /✔|\x1b/);

  const plain = await tty(['up', '-d', '--progress', 'plain']);
  assert.equal(plain.exitCode, 0, plain.output);
  assert.match(plain.output, new RegExp(`^ Container ${name}-web-1  Started$`, 'm'));
  assert.doesNotMatch(plain.output, /✔|\x1b/);
  const quiet = await tty(['--progress', 'quiet', 'down', '-t', '1']);
  assert.equal(quiet.exitCode, 0, quiet.output);
  assert.equal(quiet.output.trim(), '', 'the global --progress quiet prints nothing');

  const piped = await e.gantry(['up', '-d', '--wait'], { cwd: dir });
  assert.equal(piped.exitCode, 0, piped.stderr);
  assert.match(piped.stderr, new RegExp(`^ Container ${name}-db-1  Healthy$`, 'm'));
  assert.doesNotMatch(piped.stderr + piped.stdout, /✔|\x1b/);
  const refused = await tty(['--ansi', 'never', 'up', '-d', '--progress', 'tty']);
  assert.equal(refused.exitCode, 2, refused.output);
  assert.match(refused.output, /can't use --progress tty while ANSI support is disabled/);
});

test('gantry build on a terminal: both services in one view, each step DONE then CACHED', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}pb`;
  const svc = (s: string) =>
    `  ${s}:\n    build:\n      context: .\n      dockerfile_inline: |\n` +
    `        FROM ${IMG}\n        COPY f.txt /${s}.txt\n        RUN echo built-${s} > /made\n`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n${svc('alpha')}${svc('beta')}`,
    'f.txt': 'hello\n',
  });
  const first = await gantryOnTty(['build'], { cwd: dir, env: e.env, columns: 140 });
  assert.equal(first.exitCode, 0, first.output);
  const view = strip(first.output);
  for (const s of ['alpha', 'beta']) {
    assert.match(view, new RegExp(String.raw`✔ \[${s} [^\]]*\] RUN echo built-${s} > /made +DONE${TIME}`), view);
    assert.match(view, new RegExp(`✔ Service ${s} +Built${TIME}`), view);
  }
  assert.match(view, /Building \d+\/\d+/);
  const again = await gantryOnTty(['build'], { cwd: dir, env: e.env, columns: 140 });
  assert.equal(again.exitCode, 0, again.output);
  const cached = strip(again.output);
  for (const s of ['alpha', 'beta'])
    assert.match(cached, new RegExp(String.raw`✔ \[${s} [^\]]*\] COPY f.txt /${s}.txt +CACHED${TIME}`), cached);
  const piped = await e.gantry(['build'], { cwd: dir });
  assert.equal(piped.exitCode, 0, piped.stderr);
  // Both services build side by side: a step's CACHED line may come after the other's lines.
  assert.match(piped.stderr, /^#(\d+) \[alpha\] COPY f\.txt \/alpha\.txt$[\s\S]*^#\1 CACHED$/m, piped.stderr);
  assert.doesNotMatch(piped.stderr, /✔|\x1b/);
});
