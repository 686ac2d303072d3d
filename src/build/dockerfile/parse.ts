// Dockerfile text → typed AST, as BuildKit's parser reads Dockerfile syntax 1.x: BOM, parser
// directives, comments, line continuations with the escape token (comment lines and empty lines
// inside a continuation are skipped), heredoc bodies after RUN / COPY / ADD (and ONBUILD of them),
// then one typed record per instruction, grouped into stages. No substitution happens here.
import { DirectiveState, isDockerfileSyntax } from './directives.ts';
import { DockerfileError, errorText } from './errors.ts';
import { chompTabs, heredocOpeners } from './heredoc.ts';
import { parseInstruction } from './parse-instruction.ts';
import type { ArgInstruction, Dockerfile, Heredoc, Instruction, Stage, StageInstruction } from './types.ts';

export interface ParseOptions {
  /** The name errors use, `Dockerfile` by default. */
  readonly file?: string;
}

const COMMENT = /^#/;
const leftTrim = (s: string): string => s.replace(/^\s+/u, '');
const trimNewline = (s: string): string => s.replace(/[\r\n]+$/, '');

class Lines {
  private readonly lines: string[];
  index = 0; // lines consumed = the 1-based number of the last line read
  constructor(text: string) {
    this.lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    if (this.lines[0]?.startsWith('\ufeff')) this.lines[0] = this.lines[0].slice(1);
  }
  next(): string | undefined {
    return this.index < this.lines.length ? this.lines[this.index++] : undefined;
  }
}

export function parseDockerfile(text: string, opts: ParseOptions = {}): Dockerfile {
  const file = opts.file ?? 'Dockerfile';
  const d = new DirectiveState();
  const lines = new Lines(text);
  const warnings: string[] = [];
  const parsed: Instruction[] = [];
  for (let raw = lines.next(); raw !== undefined; raw = lines.next()) {
    const first = leftTrim(trimNewline(raw));
    try {
      d.look(first);
    } catch (e) {
      throw new DockerfileError(file, lines.index, '', errorText(e));
    }
    const startLine = lines.index;
    let [line, ended] = trimContinuation(COMMENT.test(first) ? '' : first, d.continuation);
    if (ended && line === '') continue;
    let emptyContinuation = false;
    while (!ended) {
      const next = lines.next();
      if (next === undefined) break;
      const body = trimNewline(next);
      if (COMMENT.test(leftTrim(body))) continue;
      if (leftTrim(body) === '') {
        emptyContinuation = true;
        continue;
      }
      let part: string;
      [part, ended] = trimContinuation(body, d.continuation);
      line += part;
    }
    if (emptyContinuation)
      warnings.push(`${file}:${startLine}: empty continuation line (will become an error in a future Docker release)`);
    const readBodies = (source: string): Heredoc[] => readHeredocs(source, lines, file, startLine);
    try {
      parsed.push(parseInstruction(line, d.escape, { line: startLine, source: line }, readBodies, () => lines.index));
    } catch (e) {
      if (e instanceof DockerfileError) throw e;
      throw new DockerfileError(file, startLine, line.trim().split(/\s/)[0]!.toUpperCase(), errorText(e));
    }
  }
  const dir = d.result();
  if (dir.syntax !== undefined && !isDockerfileSyntax(dir.syntax)) {
    warnings.push(
      `${file}:1: # syntax=${dir.syntax} names another frontend; gantry reads Dockerfile syntax 1.x itself`,
    );
  }
  return { file, escape: dir.escape, syntax: dir.syntax, ...group(parsed, file, lines.index), warnings };
}

function trimContinuation(line: string, re: RegExp): [string, boolean] {
  return re.test(line) ? [line.replace(re, '$1'), false] : [line, true];
}

function readHeredocs(source: string, lines: Lines, file: string, startLine: number): Heredoc[] {
  const out: Heredoc[] = [];
  for (const opener of heredocOpeners(source)) {
    let content = '';
    let terminated = false;
    for (let raw = lines.next(); raw !== undefined; raw = lines.next()) {
      let candidate = trimNewline(raw);
      if (opener.chomp) candidate = candidate.replace(/^\t+/, '');
      if (candidate === opener.name) {
        terminated = true;
        break;
      }
      content += raw;
    }
    if (!terminated) {
      const kw = source.trim().split(/\s/)[0]!.toUpperCase();
      throw new DockerfileError(
        file,
        startLine,
        kw,
        `unterminated heredoc ${opener.name} (no line ${opener.name} until line ${lines.index})`,
      );
    }
    out.push({ ...opener, content: opener.chomp ? chompTabs(content) : content });
  }
  return out;
}

function group(all: readonly Instruction[], file: string, lastLine: number): Pick<Dockerfile, 'globalArgs' | 'stages'> {
  if (all.length === 0) throw new DockerfileError(file, lastLine, '', 'file with no instructions');
  const globalArgs: ArgInstruction[] = [];
  const stages: { index: number; from: Stage['from']; instructions: StageInstruction[] }[] = [];
  for (const ins of all) {
    if (ins.kind === 'FROM') stages.push({ index: stages.length, from: ins, instructions: [] });
    else if (stages.length > 0) stages[stages.length - 1]!.instructions.push(ins);
    else if (ins.kind === 'ARG') globalArgs.push(ins);
    else
      throw new DockerfileError(
        file,
        ins.line,
        ins.kind,
        'no build stage in current context (the first instruction must be FROM or ARG)',
      );
  }
  if (stages.length === 0)
    throw new DockerfileError(file, lastLine, '', 'no FROM instruction: a Dockerfile needs at least one stage');
  return { globalArgs, stages };
}
