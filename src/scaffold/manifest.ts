// A template's manifest (template.yaml): what it is, its variables (type, default, choices,
// question) and, for a stack, which language template's files it renders with which answers
// fixed. Read strictly: a typo in a manifest is an error naming the file and key, never ignored.
import { parse } from 'yaml';
import { ConfigError } from '../common/errors.ts';

export type VariableType = 'string' | 'number' | 'boolean' | 'choice';
export type Value = string | number | boolean;

export interface VariableSpec {
  readonly name: string;
  readonly type: VariableType;
  readonly default: Value;
  readonly choices?: readonly string[];
  /** Strings only: the whole value must match (the default rule refuses control characters and `{{`). */
  readonly pattern?: string;
  /** What the prompt asks; a variable without a question is never asked (flags and --set still set it). */
  readonly question?: string;
  readonly min?: number;
  readonly max?: number;
}

export interface Manifest {
  readonly description: string;
  /** language: proposed when detection finds this language; stack: several services around a language. */
  readonly kind: 'language' | 'stack';
  readonly language?: string;
  /** Stacks: the variable whose value names the language template that supplies the files. */
  readonly filesFrom?: string;
  /** Stacks: answers fixed by the stack (the base template's variables, never asked). */
  readonly set: Readonly<Record<string, Value>>;
  readonly variables: readonly VariableSpec[];
}

const TYPES: readonly VariableType[] = ['string', 'number', 'boolean', 'choice'];
const TOP_KEYS = new Set(['description', 'kind', 'language', 'files_from', 'set', 'variables', 'variables_from']);
const VAR_KEYS = new Set(['type', 'default', 'choices', 'pattern', 'question', 'min', 'max']);
const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isValue = (v: unknown): v is Value => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * `shared` reads `variables_from: _shared/x.yaml` (a mapping of variable specs every language
 * template shares); the template's own `variables` come after and win.
 */
export function parseManifest(
  text: string,
  file: string,
  shared: (name: string) => string | undefined = () => undefined,
): Manifest {
  const fail = (key: string, what: string): never => {
    throw new ConfigError(what, { position: { file, line: 1, col: 1 }, keyPath: key });
  };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new ConfigError(`not valid YAML: ${first}`, { position: { file, line: 1, col: 1 } });
  }
  if (!isDict(doc)) return fail('', 'a template manifest is a mapping');
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) fail(k, 'unknown key');
  const kind = doc['kind'] ?? 'language';
  if (kind !== 'language' && kind !== 'stack') return fail('kind', 'must be "language" or "stack"');
  if (typeof doc['description'] !== 'string') return fail('description', 'a string is required');
  const own = doc['variables'] ?? {};
  if (!isDict(own)) return fail('variables', 'must be a mapping of name → spec');
  let vars = own;
  const from = doc['variables_from'];
  if (from !== undefined) {
    const text = typeof from === 'string' ? shared(from) : undefined;
    if (text === undefined) return fail('variables_from', 'names a file of templates/_shared');
    const base: unknown = parse(text);
    if (!isDict(base)) return fail('variables_from', `${from} is not a mapping of name → spec`);
    // The template's own questions first (they are about its language), then the shared ones.
    vars = { ...own, ...Object.fromEntries(Object.entries(base).filter(([k]) => !Object.hasOwn(own, k))) };
  }
  const variables = Object.entries(vars).map(([name, spec]) => parseVariable(name, spec, fail));
  const set = doc['set'] ?? {};
  if (!isDict(set) || !Object.values(set).every(isValue)) {
    return fail('set', 'must map names to strings, numbers or booleans');
  }
  const filesFrom = doc['files_from'];
  if (kind === 'stack' && (typeof filesFrom !== 'string' || !variables.some((v) => v.name === filesFrom))) {
    return fail('files_from', 'a stack names the variable that chooses its language template');
  }
  const language = doc['language'];
  if (language !== undefined && typeof language !== 'string') return fail('language', 'must be a string');
  return {
    description: doc['description'],
    kind,
    set: set as Record<string, Value>,
    variables,
    ...(typeof filesFrom === 'string' ? { filesFrom } : {}),
    ...(typeof language === 'string' ? { language } : {}),
  };
}

function parseVariable(name: string, spec: unknown, fail: (key: string, what: string) => never): VariableSpec {
  const key = `variables.${name}`;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(key, 'variable names are lower_snake_case');
  if (!isDict(spec)) return fail(key, 'must be a mapping (type, default, question...)');
  for (const k of Object.keys(spec)) if (!VAR_KEYS.has(k)) fail(`${key}.${k}`, 'unknown key');
  const type = (spec['type'] ?? 'string') as VariableType;
  if (!TYPES.includes(type)) fail(`${key}.type`, `must be one of ${TYPES.join(', ')}`);
  const def = spec['default'];
  if (!isValue(def)) return fail(`${key}.default`, 'a default is required (string, number or boolean)');
  const choices = spec['choices'];
  const strings = Array.isArray(choices) && choices.every((c) => typeof c === 'string');
  if (type === 'choice' && (!strings || !choices.includes(String(def)))) {
    fail(`${key}.choices`, 'a choice lists its strings, the default among them');
  }
  for (const k of ['pattern', 'question'] as const) {
    if (spec[k] !== undefined && typeof spec[k] !== 'string') fail(`${key}.${k}`, 'must be a string');
  }
  for (const k of ['min', 'max'] as const) {
    if (spec[k] !== undefined && typeof spec[k] !== 'number') fail(`${key}.${k}`, 'must be a number');
  }
  return {
    name,
    type,
    default: def,
    ...(type === 'choice' ? { choices: choices as string[] } : {}),
    ...(typeof spec['pattern'] === 'string' ? { pattern: spec['pattern'] } : {}),
    ...(typeof spec['question'] === 'string' ? { question: spec['question'] } : {}),
    ...(typeof spec['min'] === 'number' ? { min: spec['min'] } : {}),
    ...(typeof spec['max'] === 'number' ? { max: spec['max'] } : {}),
  };
}
