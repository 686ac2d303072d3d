// STUB of the per-project supervisor's entry points (the supervisor helper's branch replaces this
// file at merge). Until then nothing keeps health checks, restarts, DNS or port proxies alive.
import type { HealthState } from '../supervision.ts';

/** Only this stub has it: e2e tests that need a live supervisor skip while it is present. */
export const SUPERVISOR_STUB = true;

export async function ensureSupervisor(projectDir: string): Promise<void> {
  void projectDir;
}

export async function stopSupervisor(projectDir: string): Promise<void> {
  void projectDir;
}

export function readHealth(projectDir: string, containerId: string): HealthState | undefined {
  void projectDir;
  void containerId;
  return undefined;
}
