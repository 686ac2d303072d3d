// The variables a compose document refers to, for `config --variables`: each `$V` / `${V...}`
// with what its operator says (`?` required, `-` default, `+` alternate), read from the document
// before interpolation. Nested expressions in a default are listed too (`${A:-${B:-c}}` names B).
import { closingBrace } from './template.ts';

export interface TemplateVariable {
  readonly name: string;
  readonly required: boolean;
  readonly defaultValue: string;
  readonly alternateValue: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Variables of every string (keys included) under `data`, sorted by name; the first use of a name is kept. */
export function templateVariables(data: unknown): TemplateVariable[] {
  const found = new Map<string, TemplateVariable>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') scan(v, found);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        scan(k, found);
        visit(x);
      }
    }
  };
  visit(data);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function scan(text: string, found: Map<string, TemplateVariable>): void {
  for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i)) {
    const next = text[i + 1];
    if (next === '$') i += 2;
    else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) return; // malformed: the loader reports it
      record(text.slice(i + 2, end), found);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name !== undefined && !found.has(name)) {
        found.set(name, { name, required: false, defaultValue: '', alternateValue: '' });
      }
      i += 1 + (name?.length ?? 0);
    }
  }
}

function record(inner: string, found: Map<string, TemplateVariable>): void {
  const name = NAME.exec(inner)?.[0];
  if (name === undefined) return;
  const rest = inner.slice(name.length);
  const op = /^(:?[?+-])/.exec(rest)?.[1] ?? '';
  const value = rest.slice(op.length);
  const kind = op.replace(':', '');
  if (!found.has(name)) {
    found.set(name, {
      name,
      required: kind === '?',
      defaultValue: kind === '-' ? value : '',
      alternateValue: kind === '+' ? value : '',
    });
  }
  if (kind === '-' || kind === '+') scan(value, found);
}
