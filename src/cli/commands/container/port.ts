// `gantry container port CONTAINER [PRIVATE[/PROTO]]`: where a `container run -p/-P` port is
// published on the host, one line per port, as docker port prints it.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { openRuntime } from './open-runtime.ts';
import { RuntimeError } from '../../../common/errors.ts';

export function registerPort(container: Command): void {
  container
    .command('port')
    .description('list the published ports of a container')
    .argument('<container>')
    .argument('[port]', 'PRIVATE[/PROTO]: only this container port')
    .action(
      runCommand(async (_ctx, id: string, port: string | undefined) => {
        const rt = await openRuntime();
        const { portLines } = await import('../../../engine/index.ts');
        const lines = portLines(rt.inspect(id).labels, port);
        if (port !== undefined && lines.length === 0)
          throw new RuntimeError(`no public port ${port} published for ${id}`);
        for (const l of lines) process.stdout.write(`${port !== undefined ? l.replace(/^.* -> /, '') : l}\n`);
        return 0;
      }),
    );
}
