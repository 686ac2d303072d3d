// The instructions that take plain words: FROM, ARG, ENV, LABEL, WORKDIR, USER, MAINTAINER,
// STOPSIGNAL, EXPOSE, VOLUME, SHELL, CMD, ENTRYPOINT (argument shapes as BuildKit's line parsers).
import { Flags } from './flags.ts';
import type { ArgDeclaration, CommandLine, Instruction, KeyValue } from './types.ts';
import { parseJsonArray, parseWords, splitWhitespace } from './words.ts';

export interface LineParts {
  readonly keyword: string;
  readonly flags: readonly string[];
  readonly rest: string;
  readonly escape: string;
  readonly loc: { readonly line: number; readonly endLine: number; readonly source: string };
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

export function parseFrom(p: LineParts): Instruction {
  const flags = new Flags(p.flags).parse({ platform: 'string' });
  const args = splitWhitespace(p.rest);
  let stageName: string | undefined;
  if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
    stageName = args[2]!.toLowerCase();
    if (!STAGE_NAME.test(stageName)) {
      throw new Error(
        `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
      );
    }
  } else if (args.length !== 1) throw new Error('FROM requires either one or three arguments');
  return { kind: 'FROM', ...p.loc, image: args[0]!, stageName, platform: flags.string('platform') };
}

export function parseArg(p: LineParts): Instruction {
  new Flags(p.flags).parse({});
  const words = parseWords(p.rest, p.escape);
  if (words.length === 0) throw new Error('ARG requires at least one argument');
  const args: ArgDeclaration[] = words.map((w) => {
    const eq = w.indexOf('=');
    if (eq === 0) throw new Error('ARG names can not be blank');
    return eq < 0 ? { name: w, value: undefined } : { name: w.slice(0, eq), value: w.slice(eq + 1) };
  });
  return { kind: 'ARG', ...p.loc, args };
}

/** ENV and LABEL: `K V` (the rest of the line is the value) or `K=V K2="v 2" ...`. */
export function parseKeyValues(p: LineParts, kind: 'ENV' | 'LABEL'): Instruction {
  new Flags(p.flags).parse({});
  const words = parseWords(p.rest, p.escape);
  if (words.length === 0) throw new Error(`${kind} requires at least one argument`);
  let pairs: KeyValue[];
  if (!words[0]!.includes('=')) {
    const m = /[\t\v\f\r ]+/.exec(p.rest);
    if (!m) throw new Error(`${kind} must have two arguments`);
    pairs = [{ key: p.rest.slice(0, m.index), value: p.rest.slice(m.index + m[0].length) }];
  } else {
    pairs = words.map((w) => {
      const eq = w.indexOf('=');
      if (eq < 0)
        throw new Error(`Syntax error - can't find = in ${JSON.stringify(w)}. Must be of the form: name=value`);
      return { key: w.slice(0, eq), value: w.slice(eq + 1) };
    });
  }
  if (pairs.some((kv) => kv.key === '')) throw new Error(`${kind} names can not be blank`);
  return kind === 'ENV' ? { kind, ...p.loc, pairs } : { kind, ...p.loc, pairs };
}

/** WORKDIR, USER, MAINTAINER, STOPSIGNAL: the whole rest of the line is the one argument. */
export function parseSingle(p: LineParts, kind: 'WORKDIR' | 'USER' | 'MAINTAINER' | 'STOPSIGNAL'): Instruction {
  new Flags(p.flags).parse({});
  if (p.rest === '') throw new Error(`${kind} requires exactly one argument`);
  switch (kind) {
    case 'WORKDIR':
      return { kind, ...p.loc, path: p.rest };
    case 'USER':
      return { kind, ...p.loc, user: p.rest };
    case 'MAINTAINER':
      return { kind, ...p.loc, name: p.rest };
    default:
      return { kind, ...p.loc, signal: p.rest };
  }
}

export function parseExpose(p: LineParts): Instruction {
  new Flags(p.flags).parse({});
  const ports = splitWhitespace(p.rest);
  if (ports.length === 0) throw new Error('EXPOSE requires at least one argument');
  return { kind: 'EXPOSE', ...p.loc, ports };
}

export function parseVolume(p: LineParts): Instruction {
  new Flags(p.flags).parse({});
  const list = parseJsonArray(p.rest) ?? splitWhitespace(p.rest);
  if (list.length === 0) throw new Error('VOLUME requires at least one argument');
  const paths = list.map((v) => v.trim());
  if (paths.some((v) => v === '')) throw new Error('VOLUME specified can not be an empty string');
  return { kind: 'VOLUME', ...p.loc, paths };
}

export function commandLine(rest: string): CommandLine {
  const args = parseJsonArray(rest);
  return args ? { form: 'exec', args } : { form: 'shell', text: rest };
}

export function parseCmdLike(p: LineParts, kind: 'CMD' | 'ENTRYPOINT'): Instruction {
  new Flags(p.flags).parse({});
  return { kind, ...p.loc, command: commandLine(p.rest) };
}

export function parseShell(p: LineParts): Instruction {
  new Flags(p.flags).parse({});
  const args = parseJsonArray(p.rest);
  if (p.rest === '' || (args && args.length === 0)) throw new Error('SHELL requires at least one argument');
  if (!args) throw new Error('SHELL requires the arguments to be in JSON form');
  return { kind: 'SHELL', ...p.loc, shell: args };
}
