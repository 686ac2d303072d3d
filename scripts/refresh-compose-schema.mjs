// Keeps schemas/compose.schema.json current with the Compose Specification's schema at a pinned
// commit. gantry's schema is its own text (compose words in `title`, for error messages), so the
// upstream file is not copied: its structural differences from the baseline that ships in
// node_modules (dclint's copy, a devDependency) are recorded in schemas/compose-spec.pin.json, and
// test/unit/project/validate-schema-structure.test.ts checks offline that gantry's schema has
// exactly those, plus the pin's documented patch. Run it when the spec moves:
//   node scripts/refresh-compose-schema.mjs [--commit SHA] [--file PATH]
// --commit moves the pin; --file reads the upstream schema from a checkout instead of fetching it.
// It exits 1, listing the differences, while compose.schema.json does not follow the pin.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expectedDiff, schemaDiff } from './lib/schema-diff.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PIN = join(root, 'schemas', 'compose-spec.pin.json');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

const { values } = parseArgs({ options: { commit: { type: 'string' }, file: { type: 'string' } } });
const pin = readJson(PIN);
const moved = values.commit !== undefined && values.commit !== pin.source.commit;
const source = { ...pin.source, commit: values.commit ?? pin.source.commit };

async function upstreamText() {
  if (values.file) return readFileSync(values.file, 'utf8');
  const { repository, commit, path } = source;
  const url = `https://raw.githubusercontent.com/${repository}/${commit}/${path}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

const text = await upstreamText();
const sha256 = createHash('sha256').update(text).digest('hex');
if (!moved && pin.source.sha256 && pin.source.sha256 !== sha256) {
  console.error(`refresh-compose-schema: ${source.path} at ${source.commit} is not the pinned file (sha256 ${sha256})`);
  process.exit(1);
}
const baseline = readJson(join(root, pin.baseline));
const next = { ...pin, source: { ...source, sha256 }, upstream: schemaDiff(baseline, JSON.parse(text)) };
writeFileSync(PIN, `${JSON.stringify(next, null, 2)}\n`);

const want = expectedDiff(next);
const have = schemaDiff(baseline, readJson(join(root, 'schemas', 'compose.schema.json'))).sort();
const missing = want.filter((l) => !have.includes(l));
const extra = have.filter((l) => !want.includes(l));
for (const l of missing) console.log(`schemas/compose.schema.json lacks: ${l}`);
for (const l of extra) console.log(`schemas/compose.schema.json has, not in the pin: ${l}`);
console.log(`pinned ${source.repository}@${source.commit.slice(0, 12)} (sha256 ${sha256.slice(0, 12)})`);
process.exit(missing.length + extra.length === 0 ? 0 : 1);
