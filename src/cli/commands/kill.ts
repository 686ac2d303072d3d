// `gantry kill [-s SIGNAL] [SERVICE...]`: a signal (default SIGKILL) to each running container's
// PID 1; KILL/TERM/the stop signal count as a stop by the user (no restart policy afterwards).
import type { Command } from 'commander';
import { parseSignal } from './container/open-runtime.ts';
import { serviceAction } from './service-action.ts';

export function registerKill(program: Command): void {
  const cmd = program.command('kill').description('force stop service containers').argument('[service...]', 'only these services');
  cmd
    .option('-s, --signal <signal>', 'signal to send to the container', 'SIGKILL')
    .option('--remove-orphans', 'remove containers for services not defined in the Compose file')
    .action(serviceAction(cmd, (h, services, f: { signal: string; removeOrphans?: boolean }, signal) =>
      h.kill({ services, signalName: parseSignal(f.signal), removeOrphans: f.removeOrphans ?? false, signal })));
}
