// The questions of `gantry init` on a terminal, with @clack/prompts (loaded only when a question
// is asked, so --yes, scripts and every other command never load it). Ctrl-C or Esc ends init
// with nothing written (exit 130), as an interrupted command does.
import { RuntimeError } from '../../common/errors.ts';
import { parseValue, type Asker, type Value, type VariableSpec } from '../../scaffold/index.ts';

type Clack = typeof import('@clack/prompts');

export async function terminalAsker(): Promise<Asker> {
  const clack: Clack = await import('@clack/prompts');
  const done = <T>(v: T): Exclude<T, symbol> => {
    if (clack.isCancel(v) || typeof v === 'symbol') {
      throw new RuntimeError('init cancelled; nothing written', { exitCode: 130 });
    }
    return v as Exclude<T, symbol>;
  };
  return {
    async chooseTemplate(names, initial) {
      const options = names.map((n) => ({ value: n, label: n }));
      const first = initial !== undefined ? { initialValue: initial } : {};
      return done(await clack.select({ message: 'Which template?', options, ...first }));
    },
    async ask(spec: VariableSpec, initial: Value): Promise<Value> {
      const message = spec.question ?? spec.name;
      if (spec.type === 'boolean') return done(await clack.confirm({ message, initialValue: initial === true }));
      if (spec.type === 'choice') {
        const options = (spec.choices ?? []).map((c) => ({ value: c, label: c }));
        return done(await clack.select({ message, options, initialValue: String(initial) }));
      }
      const answer = done(
        await clack.text({
          message,
          placeholder: String(initial),
          defaultValue: String(initial),
          validate: (v) => parseValueForPrompt(spec, v === undefined || v === '' ? String(initial) : v).error,
        }),
      );
      return parseValueForPrompt(spec, answer === '' ? String(initial) : answer).value ?? initial;
    },
  };
}

function parseValueForPrompt(spec: VariableSpec, text: string): { value?: Value; error?: string } {
  try {
    return { value: parseValue(spec, text, 'answer') };
  } catch (err) {
    return { error: (err as Error).message.replace(/^answer: /, '') };
  }
}
