// Answers as text (--set, flags, prompts, detection) → typed values, checked against the
// variable's spec. Values end up in Dockerfiles, compose files and READMEs, so a string may
// never carry a control character (a newline would add an instruction) or template syntax
// (a value is never rendered twice, and the leftover check must not trip on it).
import { UsageError } from '../common/errors.ts';
import type { Value, VariableSpec } from './manifest.ts';

const UNSAFE = /[\x00-\x1f\x7f]|\{\{|\{%|%\}|\}\}/;

/** Why `value` does not fit `spec`, or undefined when it does. */
export function valueProblem(spec: VariableSpec, value: Value): string | undefined {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'number': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'a whole number';
      if (spec.min !== undefined && value < spec.min) return `at least ${spec.min}`;
      if (spec.max !== undefined && value > spec.max) return `at most ${spec.max}`;
      return undefined;
    }
    case 'choice':
      if (typeof value === 'string' && spec.choices?.includes(value)) return undefined;
      return `one of ${spec.choices?.join(', ')}`;
    case 'string': {
      if (typeof value !== 'string') return 'a string';
      if (UNSAFE.test(value)) return 'text without control characters or {{ {%';
      const whole = spec.pattern === undefined ? undefined : new RegExp(`^(?:${spec.pattern})$`, 'u');
      if (whole !== undefined && !whole.test(value)) return `text matching ${spec.pattern}`;
      return undefined;
    }
  }
}

/** Text → the variable's type; throws a usage error naming where the text came from. */
export function parseValue(spec: VariableSpec, text: string, from: string): Value {
  let value: Value = text;
  if (spec.type === 'number') value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (spec.type === 'boolean') {
    const t = text.trim().toLowerCase();
    if (['true', 'yes', 'y', '1', 'on'].includes(t)) value = true;
    else if (['false', 'no', 'n', '0', 'off'].includes(t)) value = false;
  }
  const problem = valueProblem(spec, value);
  if (problem !== undefined) {
    throw new UsageError(`${from}: ${spec.name} must be ${problem} (got ${JSON.stringify(text)})`);
  }
  return value;
}

/** `k=v` pairs of --set → a map (a key twice: the last wins, as Compose's --set does). */
export function parseSetFlags(pairs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${pair}: expected KEY=VALUE`);
    out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
  return out;
}

/** A directory name → a Compose project name (lowercase letters, digits, - and _, a letter or digit first). */
export function projectNameFrom(dir: string): string {
  const name = dir
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return name === '' ? 'app' : name.slice(0, 63);
}
