// The answers a render gets, each from the strongest source that gave one: the manifest's
// default < what detection read from the project < a flag or --set < the prompt (asked only on
// a terminal, without --yes, for what neither detection nor a flag answered).
import { UsageError } from '../common/errors.ts';
import type { Value, VariableSpec } from './manifest.ts';
import { parseValue, valueProblem } from './values.ts';

export interface Asker {
  /** Asks one question; `initial` is the answer if the user just presses Enter. */
  ask(spec: VariableSpec, initial: Value): Promise<Value>;
  /** Which template, when nothing was detected and none was named. */
  chooseTemplate(names: readonly string[], initial: string | undefined): Promise<string>;
}

export interface AnswerSources {
  readonly detected: Readonly<Record<string, string>>;
  /** --set and the dedicated flags, by variable name; `from` says which flag for errors. */
  readonly given: ReadonlyMap<string, { readonly text: string; readonly from: string }>;
  /** Answers the template fixes (a stack's `set`): never asked, never overridden. */
  readonly fixed: Readonly<Record<string, Value>>;
  readonly asker: Asker | undefined;
}

export async function resolveAnswers(
  label: string,
  specs: readonly VariableSpec[],
  src: AnswerSources,
): Promise<Record<string, Value>> {
  const known = new Set(specs.map((s) => s.name));
  for (const [name, g] of src.given) {
    if (!known.has(name)) {
      const list = specs
        .filter((s) => src.fixed[s.name] === undefined)
        .map((s) => s.name)
        .join(', ');
      throw new UsageError(`${g.from}: template ${label} has no variable "${name}" (it has: ${list})`);
    }
    const fixed = src.fixed[name];
    if (fixed !== undefined) throw new UsageError(`${g.from}: template ${label} fixes ${name} to ${String(fixed)}`);
  }
  const out: Record<string, Value> = {};
  for (const spec of specs) {
    const fixed = src.fixed[spec.name];
    if (fixed !== undefined) {
      const problem = valueProblem(spec, fixed);
      if (problem !== undefined) throw new UsageError(`template ${label}: set.${spec.name} must be ${problem}`);
      out[spec.name] = fixed;
      continue;
    }
    const given = src.given.get(spec.name);
    if (given !== undefined) {
      out[spec.name] = parseValue(spec, given.text, given.from);
      continue;
    }
    const detected = fromDetection(spec, src.detected[spec.name]);
    if (detected !== undefined) out[spec.name] = detected;
    else if (src.asker && spec.question !== undefined) out[spec.name] = await src.asker.ask(spec, spec.default);
    else out[spec.name] = spec.default;
  }
  return out;
}

/** A detected value that does not fit the variable is dropped (the default stands), never an error. */
function fromDetection(spec: VariableSpec, text: string | undefined): Value | undefined {
  if (text === undefined) return undefined;
  try {
    return parseValue(spec, text, 'detection');
  } catch {
    return undefined;
  }
}
