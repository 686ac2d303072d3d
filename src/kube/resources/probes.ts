// healthcheck → liveness, readiness and startup probes. Kubernetes counts in whole seconds (at
// least 1), so Compose's millisecond timings are rounded up; Compose's defaults are written out.
import type { Probe } from 'kubernetes-types/core/v1.js';
import type { HealthCheck } from '../../project/model.ts';
import type { Notes } from '../options.ts';

export interface Probes {
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

// Compose's defaults (docker/cli): interval 30s, timeout 30s, retries 3, start_interval 5s.
const DEFAULTS = { interval: 30_000, timeout: 30_000, retries: 3, start_interval: 5_000 };
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export function probesFor(service: string, hc: HealthCheck | undefined, notes: Notes): Probes {
  if (hc === undefined || hc.disable) return {};
  const test = hc.test;
  if (test === undefined || test.length === 0) {
    notes.notCarried(`services.${service}.healthcheck`, "the image's own healthcheck is not known at generate time");
    return {};
  }
  const [kind, ...rest] = test;
  if (kind === 'NONE') return {};
  const command = kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : kind === 'CMD' ? [...rest] : [...test];
  const base: Probe = {
    exec: { command },
    periodSeconds: seconds(hc.interval ?? DEFAULTS.interval),
    timeoutSeconds: seconds(hc.timeout ?? DEFAULTS.timeout),
    failureThreshold: hc.retries ?? DEFAULTS.retries,
  };
  const probes: Probes = { livenessProbe: base, readinessProbe: base };
  if (hc.start_period !== undefined && hc.start_period > 0) {
    // Failures during start_period do not count in Compose: the startup probe gives the same grace.
    const period = seconds(hc.start_interval ?? DEFAULTS.start_interval);
    const tries = Math.ceil(seconds(hc.start_period) / period) + (hc.retries ?? DEFAULTS.retries);
    probes.startupProbe = { ...base, periodSeconds: period, failureThreshold: tries };
  } // start_interval without start_period has no effect in Compose either.
  return probes;
}
