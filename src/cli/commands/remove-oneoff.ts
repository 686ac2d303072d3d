// `gantry __remove-oneoff NAME` (hidden): what the shim of a `run --rm -d` container runs once the
// program has exited. The engine finds the project from the container's own labels: no flags here.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';

export function registerRemoveOneOff(program: Command): void {
  program
    .command('__remove-oneoff', { hidden: true })
    .argument('<name>')
    .action(
      runCommand(async (_ctx, name: string) => {
        const { removeOneOffByName } = await import('../../engine/index.ts');
        return (await removeOneOffByName(name)) ? 0 : 1;
      }),
    );
}
