// How a RUN, CMD or ENTRYPOINT becomes argv, as BuildKit converts them: the shell form is the
// stage's SHELL plus the text; a RUN that is only `<<EOF` runs its body (a file when it starts
// with `#!`, else the body given to the shell); a RUN with heredocs inside a command gets them
// appended to the script, for the shell to read as real heredocs.
import { heredocOpener } from '../dockerfile/heredoc.ts';
import type { CommandLine, RunInstruction } from '../dockerfile/types.ts';

export function commandArgv(command: CommandLine, shell: readonly string[]): string[] {
  return command.form === 'exec' ? [...command.args] : [...shell, command.text];
}

export interface RunInvocation {
  readonly argv: readonly string[];
  /** A script to place (mode 0755) at `path` before running: a lone `#!` heredoc. */
  readonly script?: { readonly path: string; readonly content: string } | undefined;
}

export function runInvocation(run: RunInstruction, shell: readonly string[]): RunInvocation {
  const cmd = run.command;
  if (run.heredocs.length === 0 || cmd.form === 'exec') return { argv: commandArgv(cmd, shell) };
  const lone = run.heredocs.length === 1 && heredocOpener(cmd.text.trim()) !== undefined;
  if (lone) {
    const doc = run.heredocs[0]!;
    if (doc.content.startsWith('#!')) {
      const path = `/dev/pipes/${doc.name}`;
      return { argv: [path], script: { path, content: doc.content } };
    }
    return { argv: [...shell, doc.content] };
  }
  const script = run.heredocs.reduce((text, doc) => `${text}\n${doc.content}${doc.name}`, cmd.text);
  return { argv: [...shell, script] };
}
