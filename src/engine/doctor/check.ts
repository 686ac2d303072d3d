// One doctor check's result, and the order the checks run in (kernel first, then host tools).
import { hostProbe, type DoctorProbe } from './probe.ts';
import { kernelChecks } from './kernel-checks.ts';
import { cgroupCheck } from './cgroup-check.ts';
import { toolChecks } from './tool-checks.ts';
import { shimCheck, rootCheck } from './shim-root-checks.ts';

export interface DoctorCheck {
  readonly name: string;
  /** A failed required check makes `gantry doctor` exit 1; others only warn. */
  readonly required: boolean;
  readonly ok: boolean;
  /** What was found (shown either way). */
  readonly detail: string;
  /** What to do about it (shown when the check fails). */
  readonly fix: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}

/** Checks the host gantry runs on; `ok` when every required check passes. */
export function runDoctor(probe: DoctorProbe = hostProbe()): DoctorReport {
  const checks = [...kernelChecks(probe), cgroupCheck(probe), ...toolChecks(probe), shimCheck(probe), rootCheck(probe)];
  return { ok: checks.every((c) => c.ok || !c.required), checks };
}
