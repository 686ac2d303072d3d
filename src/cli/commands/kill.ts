// `gantry kill [-s SIGNAL] [SERVICE...]`: a signal (default SIGKILL) to each running container's
// PID 1; KILL/TERM/the stop signal count as a stop by the user (no restart policy afterwards).
import type { Command } from 'commander';
import { parseSignal } from './container/open-runtime.ts';
import { addVerbOptions, serviceAction } from './service-action.ts';

export function registerKill(program: Command): void {
  const cmd = program
    .command('kill')
    .description('force stop service containers')
    .argument('[service...]', 'only these services');
  cmd
    .option('-s, --signal <signal>', 'signal to send to the container', 'SIGKILL')
    .option('--remove-orphans', 'remove containers for services not defined in the Compose file');
  addVerbOptions(cmd).action(
    serviceAction(
      cmd,
      (h, req, f: { signal: string; removeOrphans?: boolean }) =>
        h.kill({ ...req, signalName: parseSignal(f.signal), removeOrphans: f.removeOrphans ?? false }),
      { live: true },
    ),
  );
}
