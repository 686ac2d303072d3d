// `gantry init [DIR]`: scaffold a project from a template (detected, or --template NAME|./path),
// asking on a terminal only what detection and flags left open; `--list` shows the templates.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runCommand } from '../run-command.ts';
import { cliIo, processIo } from '../io.ts';

interface InitFlags {
  template?: string;
  list?: boolean;
  set: string[];
  yes?: boolean;
  force?: boolean;
  dryRun?: boolean;
  [flag: string]: unknown;
}

/** Dedicated flags: each sets the template variable of the same meaning (every other one: --set). */
export const ANSWER_FLAGS: readonly (readonly [flag: string, variable: string, help: string])[] = [
  ['name', 'name', 'project name (default: the folder name)'],
  ['language', 'language', 'language of a stack template (node, python, go, rust, java, dotnet, php)'],
  ['language-version', 'version', 'language / runtime version (Node 22, Python 3.12, Go 1.23...)'],
  ['port', 'port', 'port the app listens on inside its container'],
  ['host-port', 'host_port', 'port published on 127.0.0.1'],
  ['start', 'start_command', 'command that starts the app'],
  ['package-manager', 'package_manager', 'Node package manager: npm, pnpm or yarn'],
  ['framework', 'framework', 'Python web framework: flask, fastapi, django or none'],
  ['build-tool', 'build_tool', 'Java build tool: maven or gradle'],
  ['database', 'database', 'add a database: none or postgres'],
  ['cache', 'cache', 'add a cache: none or redis'],
];

const collect = (v: string, acc: string[]): string[] => [...acc, v];
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function registerInit(program: Command): void {
  const cmd = program
    .command('init')
    .description('scaffold a project (Dockerfile, compose.yaml, .dockerignore, .env, README) from a template')
    .argument('[dir]', 'the project folder', '.')
    .option('-t, --template <name|path>', 'a built-in template (see --list) or a local folder (./path)')
    .option('-l, --list', 'list the built-in templates')
    .option('--set <key=value>', 'answer a template variable (repeatable)', collect, [] as string[])
    .option('-y, --yes', 'ask nothing: take detected values, flags and defaults')
    .option('--force', 'overwrite files that exist (default: keep them)')
    .option('--dry-run', 'check and show what would be written; write nothing');
  for (const [flag, , help] of ANSWER_FLAGS) cmd.option(`--${flag} <value>`, help);
  cmd.action(runCommand(async (_ctx, dir: string, flags: InitFlags) => initAction(dir, flags)));
}

async function initAction(dir: string, flags: InitFlags): Promise<void> {
  const scaffold = await import('../../scaffold/index.ts'); // loaded only by init
  const { printList, printResult } = await import('../render/init-output.ts');
  if (flags.list) return printList(scaffold);
  const given = new Map<string, { text: string; from: string }>();
  for (const [k, v] of scaffold.parseSetFlags(flags.set)) given.set(k, { text: v, from: `--set ${k}` });
  for (const [flag, variable] of ANSWER_FLAGS) {
    const v = flags[camel(flag)];
    if (typeof v === 'string') given.set(variable, { text: v, from: `--${flag}` });
  }
  const terminal = cliIo() === processIo && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const interactive = !flags.yes && terminal;
  const asker = interactive ? await (await import('./init-prompts.ts')).terminalAsker() : undefined;
  const result = await scaffold.runInit({
    dir: resolve(cliIo().cwd(), dir),
    cwd: cliIo().cwd(),
    template: flags.template,
    given,
    force: flags.force === true,
    dryRun: flags.dryRun === true,
    asker,
    names: scaffold.builtinNames(),
  });
  printResult(result, dir, flags.dryRun === true);
}
