// `gantry start | stop | pause | unpause [SERVICE...]`: existing containers only; nothing is
// created or removed. A container the user stops is not restarted by its restart policy.
import type { Command } from 'commander';
import { registerServiceVerb } from './service-action.ts';

export function registerStartStop(program: Command): void {
  registerServiceVerb(program, 'start', 'start existing containers', (h, req) => h.start(req));
  registerServiceVerb(program, 'stop', 'stop running containers without removing them', (h, req) => h.stop(req), true);
  registerServiceVerb(program, 'pause', 'pause services (cgroup freezer)', (h, req) => h.pause(req));
  registerServiceVerb(program, 'unpause', 'unpause services', (h, req) => h.unpause(req));
}
