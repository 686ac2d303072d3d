// Compose's variable substitution on one string: `$V`, `${V}`, `${V:-x}`, `${V-x}`, `${V:?err}`,
// `${V?err}`, `${V:+x}`, `${V+x}`, nested (`${A:-${B:-c}}`) and `$$` for a literal `$`.
// Defaults are evaluated only when used, so an unused nested variable never warns.

/** A malformed expression or a `?` variable with no value; the caller adds file, line and key path. */
export class TemplateError extends Error {}

export interface TemplateEnv {
  lookup(name: string): string | undefined;
  /** Called for each `$V` / `${V}` whose variable is unset and has no default. */
  onUnset?(name: string): void;
}

const NAME_START = /[A-Za-z_]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function substitute(text: string, env: TemplateEnv): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) throw new TemplateError(`Invalid template: "${text.slice(dollar)}"`);
      out += braced(text.slice(dollar + 2, end), env);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      const name = NAME.exec(text.slice(dollar + 1))![0];
      out += plain(name, env);
      i = dollar + 1 + name.length;
    } else {
      // `$5`, `$ ` or a trailing `$` stay literal, as in Compose.
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, or -1. */
export function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function plain(name: string, env: TemplateEnv): string {
  const v = env.lookup(name);
  if (v !== undefined) return v;
  env.onUnset?.(name);
  return '';
}

const OPS = [':-', ':?', ':+', '-', '?', '+'] as const;

function braced(inner: string, env: TemplateEnv): string {
  const m = NAME.exec(inner);
  if (!m) throw new TemplateError(`Invalid template: "\${${inner}}"`);
  const name = m[0];
  const rest = inner.slice(name.length);
  if (rest === '') return plain(name, env);
  const op = OPS.find((o) => rest.startsWith(o));
  if (!op) throw new TemplateError(`Invalid template: "\${${inner}}"`);
  const arg = rest.slice(op.length);
  const value = env.lookup(name);
  const unset = value === undefined;
  const emptyOrUnset = unset || value === '';
  switch (op) {
    case ':-':
      return emptyOrUnset ? substitute(arg, env) : value!;
    case '-':
      return unset ? substitute(arg, env) : value;
    case ':+':
      return emptyOrUnset ? '' : substitute(arg, env);
    case '+':
      return unset ? '' : substitute(arg, env);
    default: {
      const missing = op === ':?' ? emptyOrUnset : unset;
      if (!missing) return value!;
      const reason = substitute(arg, env);
      throw new TemplateError(`required variable ${name} is missing a value${reason ? `: ${reason}` : ''}`);
    }
  }
}
