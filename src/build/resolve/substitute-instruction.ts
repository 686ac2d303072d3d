// Which words of which instruction Docker substitutes, and with what: ENV, LABEL, ARG (names and
// values), WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE (then split into words), COPY/ADD sources,
// destination, --chown, ADD --checksum, heredoc bodies whose delimiter is unquoted, and RUN --mount
// values. RUN/CMD/ENTRYPOINT/HEALTHCHECK/SHELL/ONBUILD/MAINTAINER, --chmod and --exclude are left
// as written (the shell or nobody expands them); COPY --from sees only the global ARGs.
import { processWord } from '../substitute/shell-lex.ts';
import { parseRunMount } from '../dockerfile/run-mount.ts';
import type { CopySource, StageInstruction } from '../dockerfile/types.ts';

export class Substituter {
  readonly uses = new Set<string>();
  private readonly env: ReadonlyMap<string, string>;
  private readonly escape: string;
  constructor(env: ReadonlyMap<string, string>, escape: string) {
    this.env = env;
    this.escape = escape;
  }
  word(text: string): string {
    const r = processWord(text, this.env, { escape: this.escape });
    for (const n of r.matched) this.uses.add(n);
    for (const n of r.unmatched) this.uses.add(n);
    return r.result;
  }
  words(text: string): readonly string[] {
    const r = processWord(text, this.env, { escape: this.escape });
    for (const n of [...r.matched, ...r.unmatched]) this.uses.add(n);
    return r.words;
  }
  /** Heredoc bodies: quotes are plain text, `\` (whatever the escape token) still escapes. */
  raw(text: string): string {
    const r = processWord(text, this.env, { skipProcessQuotes: true });
    for (const n of [...r.matched, ...r.unmatched]) this.uses.add(n);
    return r.result;
  }
}

export function substituteInstruction(
  ins: StageInstruction,
  s: Substituter,
  globalFrom: (w: string) => string,
): StageInstruction {
  const opt = (v: string | undefined): string | undefined => (v === undefined ? undefined : s.word(v));
  switch (ins.kind) {
    case 'ENV':
    case 'LABEL':
      return { ...ins, pairs: ins.pairs.map((kv) => ({ key: s.word(kv.key), value: s.word(kv.value) })) };
    case 'ARG':
      return { ...ins, args: ins.args.map((a) => ({ name: s.word(a.name), value: opt(a.value) })) };
    case 'WORKDIR':
      return { ...ins, path: s.word(ins.path) };
    case 'USER':
      return { ...ins, user: s.word(ins.user) };
    case 'STOPSIGNAL':
      return { ...ins, signal: s.word(ins.signal) };
    case 'VOLUME':
      return { ...ins, paths: ins.paths.map((p) => s.word(p)) };
    case 'EXPOSE':
      return { ...ins, ports: ins.ports.flatMap((p) => s.words(p)) };
    case 'COPY':
      return {
        ...ins,
        ...copyWords(ins.sources, ins.dest, s),
        chown: opt(ins.chown),
        from: ins.from === undefined ? undefined : globalFrom(ins.from),
      };
    case 'ADD':
      return { ...ins, ...copyWords(ins.sources, ins.dest, s), chown: opt(ins.chown), checksum: opt(ins.checksum) };
    case 'RUN':
      return { ...ins, mounts: ins.mounts.map((m) => parseRunMount(m.spec, (v) => s.word(v))) };
    default:
      return ins;
  }
}

function copyWords(
  sources: readonly CopySource[],
  dest: string,
  s: Substituter,
): { sources: CopySource[]; dest: string } {
  return {
    sources: sources.map((src): CopySource => {
      if (src.kind === 'path') return { kind: 'path', path: s.word(src.path) };
      if (!src.heredoc.expand) return src;
      return { kind: 'heredoc', heredoc: { ...src.heredoc, content: s.raw(src.heredoc.content) } };
    }),
    dest: s.word(dest),
  };
}
