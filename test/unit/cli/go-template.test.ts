// `--format` Go templates: field references, escapes, the `table ` header row, and refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderGoTemplate } from '../../../src/cli/render/go-template.ts';

const HEADERS = { ID: 'CONTAINER ID', Name: 'NAME', Status: 'STATUS' };
const rows = [
  { ID: 'p-web-1', Name: 'p-web-1', Status: 'Up' },
  { ID: 'p-database-1', Name: 'p-database-1', Status: 'Exited (0)' },
];

test('fields and escapes, one line per row', () => {
  assert.equal(renderGoTemplate('{{.Name}}\\t{{ .Status }}', rows, HEADERS), 'p-web-1\tUp\np-database-1\tExited (0)\n');
  assert.equal(renderGoTemplate('name={{.Name}}', [], HEADERS), '');
});

test('table prefix: a header row and aligned columns', () => {
  assert.equal(
    renderGoTemplate('table {{.ID}}\\t{{.Status}}', rows, HEADERS),
    'CONTAINER ID   STATUS\np-web-1        Up\np-database-1   Exited (0)\n',
  );
});

test('unknown fields and other template syntax are refused in one line', () => {
  assert.throws(
    () => renderGoTemplate('{{.Nope}}', rows, HEADERS),
    /unknown field \.Nope \(known: \.ID \.Name \.Status\)/,
  );
  assert.throws(() => renderGoTemplate('{{json .}}', rows, HEADERS), /only \{\{\.Field\}\} references/);
});
