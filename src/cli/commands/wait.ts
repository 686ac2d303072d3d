// `gantry wait SERVICE...`: blocks until the first container of the services stops and exits
// with its code; --down-project then takes the whole project down.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { serviceAction } from './service-action.ts';

export function registerWait(program: Command): void {
  const cmd = program
    .command('wait')
    .description('block until the first service container stops')
    .argument('<service...>', 'services to wait for');
  cmd.option('--down-project', 'drops project when the first container stops').action(
    serviceAction(cmd, async (h, { services, signal }, f: { downProject?: boolean }) => {
      if (services.length === 0) throw new UsageError('wait: requires at least one service');
      const first = await h.wait(services, { signal });
      if (f.downProject) await h.down({});
      return first.exitCode;
    }),
  );
}
