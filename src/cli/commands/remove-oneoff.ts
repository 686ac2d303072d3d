// `gantry __remove-oneoff NAME` (hidden): what the shim of a `run --rm -d` container runs once the
// program has exited. It finds the project from the container's own labels, as it has no flags.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';

export function registerRemoveOneOff(program: Command): void {
  program
    .command('__remove-oneoff', { hidden: true })
    .argument('<name>')
    .action(runCommand(async (_ctx, name: string) => {
      const [{ createRuntime }, { LABELS }, { loadProject }, { openProject }] = await Promise.all([
        import('../../runtime/index.ts'), import('../../plan/index.ts'), import('../../project/index.ts'), import('../../engine/index.ts'),
      ]);
      const labels = createRuntime({}).state(name).labels;
      if (labels[LABELS.oneOff] !== 'True') return 1; // only ever a oneoff
      const project = await loadProject({
        files: (labels[LABELS.configFiles] ?? '').split(',').filter(Boolean), projectName: labels[LABELS.project], projectDirectory: labels[LABELS.workingDir],
        envFiles: [], profiles: [], environment: process.env, workingDir: labels[LABELS.workingDir] ?? process.cwd(), readStdin: () => process.getBuiltinModule('node:stream/consumers').text(process.stdin),
      });
      await openProject(project).removeOneOff(name);
      return 0;
    }));
}
