// Compose's scoping of `restart` and `up --force-recreate`, from the CLI: restart X bounces X and
// the services that depend on it with `restart: true`, never X's dependencies; --force-recreate X
// recreates X only; a container that joins X's network (network_mode service:X) is recreated with X
// and ends up in X's new network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, stored, uniq } from './lifecycle-helpers.ts';

const created = (root: string, id: string): string => (stored(root, id) as { created?: string }).created ?? '';
const netnsOf = (root: string, id: string): string => readlinkSync(`/proc/${stored(root, id).pid}/ns/net`);

test('restart and up --force-recreate act on the services named (and restart: true dependents), not their dependencies', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('rr');
  const sleeper = `image: ${IMG}, command: ["sleep", "3600"], init: true`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db: {${sleeper}}
  web: {${sleeper}, depends_on: {db: {condition: service_started, restart: true}}}
  side: {${sleeper}, network_mode: "service:web"}
`,
  });
  const id = (s: string) => `${name}-${s}-1`;
  const started = (s: string) => stored(e.root, id(s)).started;
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  assert.equal(netnsOf(e.root, id('side')), netnsOf(e.root, id('web')));

  let before = { db: started('db'), web: started('web'), side: started('side') };
  const r1 = await e.gantry(['restart', '-t', '1', 'web'], { cwd: dir });
  assert.equal(r1.exitCode, 0, r1.stderr);
  assert.notEqual(started('web'), before.web, 'web restarted');
  assert.equal(started('db'), before.db, 'restart web must not restart its dependency db');

  before = { db: started('db'), web: started('web'), side: started('side') };
  const r2 = await e.gantry(['restart', '-t', '1', 'db'], { cwd: dir });
  assert.equal(r2.exitCode, 0, r2.stderr);
  assert.notEqual(started('db'), before.db, 'db restarted');
  assert.notEqual(started('web'), before.web, 'web depends on db with restart: true: restarted with it');
  // As compose-go: network_mode service:web is an implicit depends_on web with restart: true.
  assert.notEqual(started('side'), before.side, "side joins web's network: restarted with web");

  before = { db: started('db'), web: started('web'), side: started('side') };
  const r3 = await e.gantry(['restart', '-t', '1', '--no-deps', 'db'], { cwd: dir });
  assert.equal(r3.exitCode, 0, r3.stderr);
  assert.notEqual(started('db'), before.db);
  assert.equal(started('web'), before.web, '--no-deps restarts db alone');

  const made = { db: created(e.root, id('db')), web: created(e.root, id('web')), side: created(e.root, id('side')) };
  const fr = await e.gantry(['up', '-d', '-t', '1', '--force-recreate', 'web'], { cwd: dir });
  assert.equal(fr.exitCode, 0, fr.stderr);
  assert.equal(created(e.root, id('db')), made.db, '--force-recreate web must not recreate its dependency db');
  assert.notEqual(created(e.root, id('web')), made.web, 'web recreated');
  assert.notEqual(created(e.root, id('side')), made.side, "side joins web's network: recreated with it");
  assert.equal(netnsOf(e.root, id('side')), netnsOf(e.root, id('web')), "side is in the new web's network namespace");
});
