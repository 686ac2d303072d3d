// The global scope: ARGs before the first FROM, each default substituted with the ones before it
// (and the host's platform args), a --build-arg winning over a default. Only FROM lines, COPY
// --from and ARGs redeclared in a stage see them.
import { DockerfileError, errorText } from '../dockerfile/errors.ts';
import type { Dockerfile } from '../dockerfile/types.ts';
import { processWord } from '../substitute/shell-lex.ts';
import { platformArgs, type Platform } from './build-args.ts';

export interface GlobalScope {
  /** What FROM and COPY --from substitute with: platform args, then global ARGs that have a value. */
  readonly env: ReadonlyMap<string, string>;
  /** Every global ARG name, with its value or undefined. */
  readonly declared: ReadonlyMap<string, string | undefined>;
}

export function globalScope(df: Dockerfile, buildArgs: ReadonlyMap<string, string>, platform: Platform): GlobalScope {
  const env = new Map(platformArgs(platform));
  const declared = new Map<string, string | undefined>();
  for (const ins of df.globalArgs) {
    try {
      for (const a of ins.args) {
        const name = processWord(a.name, env, { escape: df.escape }).result;
        const value =
          buildArgs.get(name) ??
          (a.value === undefined ? undefined : processWord(a.value, env, { escape: df.escape }).result);
        declared.set(name, value);
        if (value !== undefined) env.set(name, value);
      }
    } catch (e) {
      throw new DockerfileError(df.file, ins.line, 'ARG', errorText(e));
    }
  }
  return { env, declared };
}

export function substituteGlobal(df: Dockerfile, scope: GlobalScope, word: string, line: number, kind: string): string {
  try {
    return processWord(word, scope.env, { escape: df.escape }).result;
  } catch (e) {
    throw new DockerfileError(df.file, line, kind, errorText(e));
  }
}
