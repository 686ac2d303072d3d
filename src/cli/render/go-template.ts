// `--format '{{.Name}}\t{{.Status}}'` as Docker's CLI reads it: the subset users type (field
// references, `\t` and `\n` escapes), with a `table ` prefix that prints a header row above
// columns aligned as docker's tabwriter does. Anything fancier is refused, never printed raw.
import { UsageError } from '../../common/errors.ts';
import { formatTable } from './table.ts';

const FIELD = /\{\{\s*\.([A-Za-z]+)\s*\}\}/g;

export type TemplateRow = Readonly<Record<string, string>>;

/** `headers` names each field's column (`ID` → `CONTAINER ID`); a field absent from it is unknown. */
export function renderGoTemplate(
  format: string,
  rows: readonly TemplateRow[],
  headers: Readonly<Record<string, string>>,
): string {
  const table = /^table(\s|$)/.test(format);
  const text = table ? format.replace(/^table\s*/, '') : format;
  const body = text.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  const leftover = body.replace(FIELD, '');
  if (leftover.includes('{{')) {
    throw new UsageError(`--format: only {{.Field}} references are supported, not "${format}"`);
  }
  for (const m of body.matchAll(FIELD)) {
    if (!(m[1]! in headers)) {
      const known = Object.keys(headers)
        .map((k) => `.${k}`)
        .join(' ');
      throw new UsageError(`--format: unknown field .${m[1]} (known: ${known})`);
    }
  }
  const fill = (text: string, row: TemplateRow): string => text.replace(FIELD, (_m, f: string) => row[f] ?? '');
  if (!table) return rows.map((r) => `${fill(body, r)}\n`).join('');
  const columns = body.split('\t');
  const head = columns.map((c) => c.replace(FIELD, (_m, f: string) => headers[f] ?? f));
  return formatTable(
    head,
    rows.map((r) => columns.map((c) => fill(c, r))),
  );
}
