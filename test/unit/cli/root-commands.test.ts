// Every command is placed in the root table (src/cli/root-commands.ts), and a non-root user gets
// the one-line refusal from the preAction hook before the command runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/run-argv.ts';
import { checkRoot, commandPath, needsRoot } from '../../../src/cli/root-commands.ts';

function* leaves(cmd: Command): Generator<Command> {
  if (cmd.commands.length === 0) yield cmd;
  for (const c of cmd.commands) yield* leaves(c);
}

test('commands that only read files or world-readable state need no root; the rest do', () => {
  const paths = [...leaves(buildProgram())].map(commandPath);
  for (const p of ['version', 'config', 'completion', 'doctor', 'kube generate'])
    assert.ok(paths.includes(p) && !needsRoot(p), p);
  for (const p of ['up', 'down', 'run', 'exec', 'container run', 'image pull', 'network ls', 'stop', 'ls', 'ps']) {
    assert.ok(paths.includes(p) && needsRoot(p), p);
  }
});

test('a root command run by a non-root user stops with one line naming it', () => {
  const up = [...leaves(buildProgram())].find((c) => commandPath(c) === 'up')!;
  assert.throws(() => checkRoot(up, 65534), {
    message: 'gantry: up needs root (run as root or with sudo); rootless mode is not supported yet',
  });
  assert.doesNotThrow(() => checkRoot(up, 0));
  const config = [...leaves(buildProgram())].find((c) => commandPath(c) === 'config')!;
  assert.doesNotThrow(() => checkRoot(config, 65534));
});
