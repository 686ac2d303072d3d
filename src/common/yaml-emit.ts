// A small YAML emitter for plain JSON data (what `config` and exports print). The yaml package's
// stringify builds a node tree first and costs ~1 ms per service on a cold start; this writes
// text directly. Strings are plain only when YAML 1.1 and 1.2 both read them back as the same
// string; anything else is double-quoted with JSON escapes (valid YAML escapes).

type Plain = null | boolean | number | string | readonly Plain[] | { readonly [k: string]: Plain };

const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
const SAFE = /^(?:[A-Za-z_/]|-[A-Za-z])[A-Za-z0-9_./@+=,:-]*$/;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h))+$/; // "10s": no YAML number looks like this

export function scalarText(v: null | boolean | number | string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  return (SAFE.test(v) && !v.endsWith(':') && !RESERVED.test(v)) || DURATION.test(v) ? v : JSON.stringify(v);
}

export function emitYaml(value: unknown): string {
  const out: string[] = [];
  block(value as Plain, '', out);
  return out.length ? `${out.join('\n')}\n` : `${scalarText(value as string)}\n`;
}

const isEmpty = (v: Plain): boolean =>
  v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
const inline = (v: Plain): string | undefined => {
  if (v === null || typeof v !== 'object') return scalarText(v as null | boolean | number | string);
  return isEmpty(v) ? (Array.isArray(v) ? '[]' : '{}') : undefined;
};

// Writes a mapping or sequence at `indent`; the caller wrote the key or dash before it.
function block(v: Plain, indent: string, out: string[]): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const e of v as readonly Plain[]) {
      const text = inline(e);
      if (text !== undefined) out.push(`${indent}- ${text}`);
      else if (Array.isArray(e)) {
        out.push(`${indent}-`);
        block(e, `${indent}  `, out);
      } else {
        const start = out.length;
        block(e, `${indent}  `, out);
        out[start] = `${indent}- ${out[start]!.slice(indent.length + 2)}`;
      }
    }
    return;
  }
  for (const [k, e] of Object.entries(v as { readonly [k: string]: Plain })) {
    const text = inline(e);
    if (text !== undefined) out.push(`${indent}${scalarText(k)}: ${text}`);
    else {
      out.push(`${indent}${scalarText(k)}:`);
      block(e, `${indent}  `, out);
    }
  }
}
