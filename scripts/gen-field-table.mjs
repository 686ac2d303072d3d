// Rewrites the field table of README.md (between its field-table markers) from
// src/project/field-status.json, the status table the loader reads. A unit test fails while the
// README is stale: run this after changing a field's status.
//   node scripts/gen-field-table.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFieldTable } from './lib/field-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fields = JSON.parse(readFileSync(join(root, 'src', 'project', 'field-status.json'), 'utf8'));
const readme = join(root, 'README.md');
writeFileSync(readme, withFieldTable(readFileSync(readme, 'utf8'), fields));
