// No service key is dropped silently: every key the official compose-spec schema knows for a
// service is modelled (normalize/service.ts), resolved by the loader, or listed as unsupported.
// Also: the model is frozen and normalization leaves the raw document untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELLED_KEYS } from '../../../src/project/normalize/service.ts';
import { LOADER_SERVICE_KEYS, UNSUPPORTED_SERVICE_KEYS } from '../../../src/project/unsupported.ts';
import { loadRaw } from '../../../src/project/load-raw.ts';
import { projectFromRaw } from '../../../src/project/index.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(resolve(HERE, '../../../node_modules/dclint/schemas/compose.schema.json'), 'utf8')) as {
  definitions: { service: { properties: Record<string, unknown> } };
};

test('every schema-known service key is modelled, loader-resolved or unsupported', () => {
  const known = new Set([...MODELLED_KEYS, ...LOADER_SERVICE_KEYS, ...UNSUPPORTED_SERVICE_KEYS]);
  const missing = Object.keys(schema.definitions.service.properties).filter((k) => !known.has(k));
  assert.deepEqual(missing, []);
});

test('no key is both modelled and unsupported', () => {
  assert.deepEqual(MODELLED_KEYS.filter((k) => UNSUPPORTED_SERVICE_KEYS.includes(k)), []);
});

test('the model is deeply frozen and the raw document is not changed', async () => {
  const raw = await loadRaw(fixtureOptions(resolve(HERE, '../../fixtures/compose/normalize/networks-long')));
  const before = JSON.stringify(raw.data);
  const project = projectFromRaw(raw);
  assert.equal(JSON.stringify(raw.data), before);
  assert.ok(Object.isFrozen(project.services.web!.networks!.front));
  assert.ok(Object.isFrozen(project.networks.front!.ipam!.config![0]));
  assert.throws(() => {
    (project.services as Record<string, unknown>).extra = {};
  }, TypeError);
});
