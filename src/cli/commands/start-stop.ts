// `gantry start | stop | pause | unpause [SERVICE...]`: existing containers only; nothing is
// created or removed. A container the user stops is not restarted by its restart policy.
import type { Command } from 'commander';
import { registerServiceVerb } from './service-action.ts';

export function registerStartStop(program: Command): void {
  registerServiceVerb(program, 'start', 'start existing containers', (h, services, _f, signal) => h.start({ services, signal }));
  registerServiceVerb(program, 'stop', 'stop running containers without removing them', (h, services, _f, signal) => h.stop({ services, signal }), true);
  registerServiceVerb(program, 'pause', 'pause services (cgroup freezer)', (h, services) => h.pause({ services }));
  registerServiceVerb(program, 'unpause', 'unpause services', (h, services) => h.unpause({ services }));
}
