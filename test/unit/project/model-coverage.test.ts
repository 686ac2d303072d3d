// No service key is dropped silently: every key the official compose-spec schema knows for a
// service is modelled (normalize/service.ts), resolved by the loader, or listed as unsupported.
// Also: the model is frozen and normalization leaves the raw document untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELLED_KEYS } from '../../../src/project/normalize/service.ts';
import { LOADER_SERVICE_KEYS, MODELLED_SUBKEYS, UNSUPPORTED_SERVICE_KEYS } from '../../../src/project/unsupported.ts';
import { loadRaw } from '../../../src/project/load-raw.ts';
import { projectFromRaw } from '../../../src/project/index.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
type Node = {
  properties?: Record<string, Node>;
  oneOf?: Node[];
  items?: Node;
  patternProperties?: Record<string, Node>;
  type?: string | string[];
  $ref?: string;
};
const schema = JSON.parse(
  readFileSync(resolve(HERE, '../../../node_modules/dclint/schemas/compose.schema.json'), 'utf8'),
) as {
  definitions: Record<string, Node> & { service: { properties: Record<string, Node> } };
};

test('every schema-known service key is modelled, loader-resolved or unsupported', () => {
  const known = new Set([...MODELLED_KEYS, ...LOADER_SERVICE_KEYS, ...UNSUPPORTED_SERVICE_KEYS]);
  const missing = Object.keys(schema.definitions.service.properties).filter((k) => !known.has(k));
  assert.deepEqual(missing, []);
});

// Objects whose every key a normalizer reads (ports.ts, volumes.ts, healthcheck.ts, …).
const FULLY_MODELLED: Readonly<Record<string, readonly string[]>> = {
  'services.*.ports.[]': ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'],
  'services.*.volumes.[]': ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'],
  'services.*.volumes.[].tmpfs': ['size', 'mode'],
  'services.*.volumes.[].image': ['subpath'],
  'services.*.healthcheck': ['disable', 'interval', 'retries', 'test', 'timeout', 'start_period', 'start_interval'],
  'services.*.networks.*': [
    'aliases',
    'interface_name',
    'ipv4_address',
    'ipv6_address',
    'link_local_ips',
    'mac_address',
    'driver_opts',
    'priority',
    'gw_priority',
  ],
  'services.*.depends_on.*': ['restart', 'required', 'condition'],
  'services.*.secrets.[]': ['source', 'target', 'uid', 'gid', 'mode'],
  'networks.*': [
    'name',
    'driver',
    'driver_opts',
    'ipam',
    'external',
    'internal',
    'enable_ipv4',
    'enable_ipv6',
    'attachable',
    'labels',
  ],
  'networks.*.ipam': ['driver', 'config', 'options'],
  'networks.*.ipam.config.[]': ['subnet', 'ip_range', 'gateway', 'aux_addresses'],
  'volumes.*': ['name', 'driver', 'driver_opts', 'external', 'labels'],
};

// A schema node and its alternatives ($ref followed, oneOf flattened).
const variants = (n: Node | undefined): Node[] => {
  if (!n) return [];
  const self = n.$ref ? (schema.definitions[n.$ref.split('/').pop()!] as Node) : n;
  return [self, ...(self.oneOf ?? []).flatMap(variants)];
};
function step(n: Node | undefined, seg: string): Node | undefined {
  const vs = variants(n);
  if (seg === '[]') return vs.find((v) => v.items)?.items;
  if (seg === '*') return Object.values(vs.find((v) => v.patternProperties)?.patternProperties ?? {})[0];
  return vs.find((v) => v.properties?.[seg])?.properties?.[seg];
}
function at(path: string): Node | undefined {
  const [top, ...rest] = path.split('.');
  const roots: Record<string, Node | undefined> = {
    services: schema.definitions.service,
    networks: schema.definitions.network,
    volumes: schema.definitions.volume,
    secrets: schema.definitions.secret,
    configs: schema.definitions.config,
  };
  const node = rest.slice(1).reduce<Node | undefined>((cur, seg) => step(cur, seg), roots[top!]);
  return variants(node).find((v) => v.properties);
}

test('every schema key of a nested object is modelled or reported as unsupported', () => {
  const tables = { ...FULLY_MODELLED, ...MODELLED_SUBKEYS };
  const unaccounted: string[] = [];
  for (const [path, keys] of Object.entries(tables)) {
    if (path === 'services.*') continue;
    const node = at(path);
    assert.ok(node?.properties, `no schema object at ${path}`);
    // For partially modelled objects the rest is reported, so only FULLY_MODELLED can miss keys.
    if (!(path in FULLY_MODELLED)) continue;
    for (const k of Object.keys(node.properties)) if (!keys.includes(k)) unaccounted.push(`${path}.${k}`);
  }
  assert.deepEqual(unaccounted, []);
});

test('no key is both modelled and unsupported', () => {
  assert.deepEqual(
    MODELLED_KEYS.filter((k) => UNSUPPORTED_SERVICE_KEYS.includes(k)),
    [],
  );
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
