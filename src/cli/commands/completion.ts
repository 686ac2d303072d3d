// `gantry completion bash|zsh|fish` prints a completion script; the hidden `__complete` answers
// it from the command tree (see ../completion/candidates.ts).
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { candidates, type CompletionContext } from '../completion/candidates.ts';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.ts';

async function projectServices(ctx: CompletionContext): Promise<string[]> {
  const { loadProject } = await import('../../engine/index.ts');
  const g = (k: string) => ctx.globals.get(k) ?? [];
  const project = await loadProject({
    files: g('file'),
    projectName: g('projectName')[0],
    projectDirectory: g('projectDirectory')[0],
    envFiles: g('envFile'),
    profiles: g('profile'),
    environment: process.env,
    workingDir: process.cwd(),
    readStdin: async () => '',
  });
  return Object.keys(project.services).sort();
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (source it: `source <(gantry completion bash)`)')
    .argument('<shell>', SHELLS.join(', '))
    .action(
      runCommand(async (_ctx, shell: string) => {
        if (!SHELLS.includes(shell as Shell))
          throw new UsageError(`completion: unknown shell "${shell}" (${SHELLS.join(', ')})`);
        process.stdout.write(completionScript(shell as Shell));
        return 0;
      }),
    );
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(
      runCommand(async (_ctx, words: string[]) => {
        const out = await candidates(program, words.length > 0 ? words : [''], projectServices);
        process.stdout.write(out.map((c) => `${c}\n`).join(''));
        return 0;
      }),
    );
}
