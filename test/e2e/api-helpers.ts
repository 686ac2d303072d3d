// Shared by the Node API e2e files: a two-service stack of the test image (web: busybox httpd on a
// port published without a host port; worker: a counter on stdout), and waiting until a project
// left nothing on the host.
import { setTimeout as delay } from 'node:timers/promises';
import { leaksSince, snapshotHost, type HostSnapshot, type Scope } from '../helpers/host-snapshot.ts';

export const IMG = 'gantry-test/busybox:latest';

export const STACK = `services:
  web:
    image: ${IMG}
    init: true
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/health && echo web ready && exec httpd -f -p 80 -h /www"]
    ports: ["80"]
  worker:
    image: ${IMG}
    init: true
    depends_on: [web]
    command: ["sh", "-c", "echo worker ready; i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
`;

export const scopeOf = (root: string, project: string): Scope => ({
  root,
  networkIds: [`${project}_default`],
  containers: [`${project}-web-1`, `${project}-worker-1`],
});

/**
 * The project's leaks against `before` (files: those naming the project), once there are none or `ms`
 * passed (the last seen then).
 */
export async function leaksAfter(before: HostSnapshot, scope: Scope, project: string, ms: number): Promise<string[]> {
  const ignore = (f: string): boolean => !f.includes(project);
  const deadline = Date.now() + ms;
  for (;;) {
    const leaks = leaksSince(before, snapshotHost(scope), ignore);
    if (leaks.length === 0 || Date.now() > deadline) return leaks;
    await delay(200);
  }
}
