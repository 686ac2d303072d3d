// What `gantry __complete WORDS...` offers for the last word: read from commander's command tree
// at run time (so every registered command and flag appears), and for SERVICE arguments the
// services of the compose project the earlier words and the current dir select.
import type { Command, Option } from 'commander';

export interface CompletionContext {
  readonly cmd: Command;
  /** Global option values seen before the subcommand (-f, -p, --project-directory...). */
  readonly globals: ReadonlyMap<string, string[]>;
  /** Positional words already given to cmd. */
  readonly positionals: readonly string[];
  /** The word before the current one is an option that takes a value. */
  readonly optionValue: boolean;
}

const visible = (c: Command): Command[] => c.commands.filter((s) => !(s as unknown as { _hidden?: boolean })._hidden);
const optionTakesValue = (o: Option): boolean => o.required || o.optional;

function findOption(cmd: Command, word: string): Option | undefined {
  const flag = word.split('=')[0];
  return cmd.options.find((o) => o.long === flag || o.short === flag);
}

/** Walks the given words (all but the current one) down the command tree. */
export function walk(program: Command, words: readonly string[]): CompletionContext {
  let cmd = program;
  const globals = new Map<string, string[]>();
  const positionals: string[] = [];
  let optionValue = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    optionValue = false;
    if (w.startsWith('-') && w !== '-') {
      const o = findOption(cmd, w);
      if (o && optionTakesValue(o) && !w.includes('=')) {
        if (i + 1 === words.length) optionValue = true;
        else if (cmd === program)
          globals.set(o.attributeName(), [...(globals.get(o.attributeName()) ?? []), words[++i]!]);
        else i++;
      }
      continue;
    }
    const sub =
      positionals.length === 0 ? cmd.commands.find((s) => s.name() === w || s.aliases().includes(w)) : undefined;
    if (sub) cmd = sub;
    else positionals.push(w);
  }
  return { cmd, globals, positionals, optionValue };
}

function flagsOf(cmd: Command): string[] {
  return cmd.options
    .filter((o) => !o.hidden)
    .flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
}

/** The kind of the positional argument at this place: 'service' for compose SERVICE arguments. */
function argumentKind(cmd: Command, position: number): 'service' | 'service-path' | 'other' {
  const args = cmd.registeredArguments;
  const a = args[Math.min(position, args.length - 1)];
  if (!a) return 'other';
  if (/^service/.test(a.name())) return 'service';
  if (cmd.name() === 'cp') return 'service-path';
  return 'other';
}

export async function candidates(
  program: Command,
  words: readonly string[],
  services: (ctx: CompletionContext) => Promise<readonly string[]>,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const ctx = walk(program, words.slice(0, -1));
  if (ctx.optionValue) return [];
  if (current.startsWith('-'))
    return [...flagsOf(ctx.cmd), ...(ctx.cmd === program ? [] : ['--help'])].filter((f) => f.startsWith(current));
  const subs = visible(ctx.cmd);
  if (subs.length > 0 && ctx.positionals.length === 0)
    return subs
      .map((s) => s.name())
      .filter((n) => n.startsWith(current))
      .sort();
  const kind = argumentKind(ctx.cmd, ctx.positionals.length);
  if (kind === 'other') return [];
  const names = await services(ctx).catch(() => [] as string[]);
  return (kind === 'service' ? names : names.map((n) => `${n}:`)).filter((n) => n.startsWith(current));
}
