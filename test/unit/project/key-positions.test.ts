// Key positions: where a key was written (for "unknown key" errors), kept beside the value
// positions, moved with them, and never left stale when a value is replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeYaml } from '../../../src/project/load.ts';
import { getKeyPos, getPos, movePos } from '../../../src/project/positions.ts';

const web = (text: string): Record<string, unknown> => {
  const data = parseComposeYaml(text, 'c.yaml')[0]!.data as { services: { web: Record<string, unknown> } };
  return data.services.web;
};

test('a scalar entry: value position and key position differ', () => {
  const w = web('services:\n  web:\n    image:   nginx\n');
  assert.deepEqual(getPos(w, 'image'), { file: 'c.yaml', line: 3, col: 14 });
  assert.deepEqual(getKeyPos(w, 'image'), { file: 'c.yaml', line: 3, col: 5 });
});

test('a collection entry: the key position is the entry position', () => {
  const w = web('services:\n  web:\n    ports:\n      - "80:80"\n');
  assert.deepEqual(getKeyPos(w, 'ports'), getPos(w, 'ports'));
});

test('movePos carries the key position, and clears a stale one', () => {
  const from = web('services:\n  web:\n    image: nginx\n    ports: [80]\n');
  const to: Record<string, unknown> = {};
  movePos(from, 'image', to, 'k');
  assert.deepEqual(getKeyPos(to, 'k'), { file: 'c.yaml', line: 3, col: 5 });
  movePos(from, 'ports', to, 'k');
  assert.deepEqual(getKeyPos(to, 'k'), { file: 'c.yaml', line: 4, col: 5 });
});
