// One logical line → one typed instruction: the keyword picks the argument shape; RUN, COPY and
// ADD (also as ONBUILD triggers) in shell form read their heredoc bodies from the following lines.
import { Flags } from './flags.ts';
import { parseCopyLike, parseHealthcheck, parseRun } from './parse-build.ts';
import {
  parseArg,
  parseCmdLike,
  parseExpose,
  parseFrom,
  parseKeyValues,
  parseShell,
  parseSingle,
  parseVolume,
  type LineParts,
} from './parse-simple.ts';
import type { Heredoc, Instruction } from './types.ts';
import { parseJsonArray, splitCommand } from './words.ts';

const HEREDOC_KEYWORDS = new Set(['run', 'copy', 'add']);

export function parseInstruction(
  line: string,
  escape: string,
  at: { readonly line: number; readonly source: string },
  readHeredocs: (source: string) => Heredoc[],
  endLine: () => number,
): Instruction {
  const split = splitCommand(line);
  const target = split.keyword === 'onbuild' ? splitCommand(split.rest) : split;
  const heredocs = HEREDOC_KEYWORDS.has(target.keyword) && !isJson(target.rest) ? readHeredocs(line) : [];
  return build(split, escape, at, heredocs, endLine());
}

function isJson(rest: string): boolean {
  try {
    return parseJsonArray(rest) !== undefined;
  } catch {
    return true;
  }
}

function build(
  split: ReturnType<typeof splitCommand>,
  escape: string,
  at: { readonly line: number; readonly source: string },
  heredocs: readonly Heredoc[],
  endLine: number,
): Instruction {
  const p: LineParts = { ...split, escape, loc: { line: at.line, endLine, source: at.source } };
  switch (split.keyword) {
    case 'from':
      return parseFrom(p);
    case 'arg':
      return parseArg(p);
    case 'env':
      return parseKeyValues(p, 'ENV');
    case 'label':
      return parseKeyValues(p, 'LABEL');
    case 'workdir':
      return parseSingle(p, 'WORKDIR');
    case 'user':
      return parseSingle(p, 'USER');
    case 'maintainer':
      return parseSingle(p, 'MAINTAINER');
    case 'stopsignal':
      return parseSingle(p, 'STOPSIGNAL');
    case 'expose':
      return parseExpose(p);
    case 'volume':
      return parseVolume(p);
    case 'shell':
      return parseShell(p);
    case 'cmd':
      return parseCmdLike(p, 'CMD');
    case 'entrypoint':
      return parseCmdLike(p, 'ENTRYPOINT');
    case 'copy':
      return parseCopyLike(p, 'COPY', heredocs);
    case 'add':
      return parseCopyLike(p, 'ADD', heredocs);
    case 'run':
      return parseRun(p, heredocs);
    case 'healthcheck':
      return parseHealthcheck(p);
    case 'onbuild':
      return parseOnbuild(p, heredocs);
    default:
      throw new Error(`unknown instruction: ${split.keyword.toUpperCase()}`);
  }
}

function parseOnbuild(p: LineParts, heredocs: readonly Heredoc[]): Instruction {
  new Flags(p.flags).parse({});
  if (p.rest === '') throw new Error('ONBUILD requires at least one argument');
  const child = splitCommand(p.rest);
  const kw = child.keyword.toUpperCase();
  if (kw === 'ONBUILD') throw new Error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (kw === 'MAINTAINER' || kw === 'FROM') throw new Error(`${kw} isn't allowed as an ONBUILD trigger`);
  const expression = p.loc.source.replace(/^\s*ONBUILD\s*/i, '');
  const trigger = build(child, p.escape, { line: p.loc.line, source: p.rest }, heredocs, p.loc.endLine);
  return { kind: 'ONBUILD', ...p.loc, expression, trigger };
}
