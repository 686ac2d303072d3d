// Spec currency: gantry's schema (its own text) follows the Compose Specification schema pinned in
// schemas/compose-spec.pin.json. Offline: the structural differences between the baseline that
// ships in node_modules (dclint's copy of the spec) and gantry's schema must be exactly the pin's
// (recorded by scripts/refresh-compose-schema.mjs from the pinned upstream file) plus gantry's
// documented patch. Walks both schemas with $refs resolved and annotations ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectedDiff, schemaDiff, type SchemaPin } from '../../../scripts/lib/schema-diff.mjs';

const read = <T>(rel: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as T;
const PIN = read<SchemaPin & { baseline: string }>('../../../schemas/compose-spec.pin.json');
const BASELINE = read<object>(`../../../${PIN.baseline}`);
const OURS = read<object>('../../../schemas/compose.schema.json');

test('gantry schema has every constraint of the pinned Compose Specification schema, and no other', () => {
  assert.deepEqual(schemaDiff(BASELINE, OURS).sort(), expectedDiff(PIN));
});

test('the pin names its source and explains each patch', () => {
  assert.match(PIN.source.commit, /^[0-9a-f]{40}$/);
  assert.ok(PIN.upstream.length > 0, 'the pinned schema is newer than the baseline');
  for (const p of PIN.patch) assert.ok(p.why.length > 20 && p.lines.length + p.replaces.length > 0, p.why);
});
