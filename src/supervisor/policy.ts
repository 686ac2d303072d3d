// The pure rules of supervision: when a container is restarted and after what delay (Docker's
// back-off: 100 ms doubling, capped, reset once a run lasted 10 s), and how one probe moves the
// health status (failures inside start_period do not count; `retries` failures in a row do).
import type { HealthProbe, HealthState, RestartPolicy, SupervisedHealthcheck } from './contract.ts';

export const BACKOFF_START_MS = 100;
export const BACKOFF_CAP_MS = 60_000;
/** A run at least this long resets the back-off (Docker uses the same 10 s). */
export const STABLE_RUN_MS = 10_000;
const KEEP_PROBES = 5;

export function shouldRestart(
  policy: RestartPolicy,
  exitCode: number | undefined,
  restarts: number,
  stoppedByUser: boolean,
): boolean {
  if (stoppedByUser) return false;
  switch (policy.kind) {
    case 'no':
      return false;
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return (
        exitCode !== 0 && (policy.maxRetries === undefined || policy.maxRetries <= 0 || restarts < policy.maxRetries)
      );
  }
}

/** Delay before restart number `attempt` (0-based) of one crash loop. */
export const backoffMs = (attempt: number): number =>
  Math.min(BACKOFF_START_MS * 2 ** Math.min(attempt, 30), BACKOFF_CAP_MS);

export const initialHealth = (restartCount = 0): HealthState => ({
  status: 'starting',
  failingStreak: 0,
  log: [],
  restartCount,
});

/** Docker's defaults stand in for zero values (the engine normally fills them in). */
export function timing(h: SupervisedHealthcheck): {
  interval: number;
  timeout: number;
  retries: number;
  startPeriod: number;
  startInterval: number;
} {
  return {
    interval: h.intervalMs > 0 ? h.intervalMs : 30_000,
    timeout: h.timeoutMs > 0 ? h.timeoutMs : 30_000,
    retries: h.retries > 0 ? h.retries : 3,
    startPeriod: Math.max(0, h.startPeriodMs),
    startInterval: h.startIntervalMs > 0 ? h.startIntervalMs : 5_000,
  };
}

export function afterProbe(
  prev: HealthState,
  probe: HealthProbe,
  inStartPeriod: boolean,
  retries: number,
): HealthState {
  const log = [...prev.log, probe].slice(-KEEP_PROBES);
  if (probe.exitCode === 0) return { ...prev, status: 'healthy', failingStreak: 0, log };
  if (inStartPeriod && prev.status === 'starting') return { ...prev, log };
  const failingStreak = prev.failingStreak + 1;
  return { ...prev, failingStreak, status: failingStreak >= retries ? 'unhealthy' : prev.status, log };
}

/** How long until the next probe: start_interval while still starting inside start_period. */
export const nextProbeIn = (h: SupervisedHealthcheck, status: HealthState['status'], inStartPeriod: boolean): number =>
  status === 'starting' && inStartPeriod ? timing(h).startInterval : timing(h).interval;

/** The program a healthcheck runs: CMD args as given, CMD-SHELL through /bin/sh -c. */
export function probeArgs(test: readonly string[]): readonly string[] | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined; // NONE, or an empty test: no healthcheck
}
