// `ps`: the project's containers with state, health (the supervisor's file) and published ports,
// in the shape of Compose's `ps --format json`. Needs only the runtime: kept cheap.
import { LABELS } from '../../plan/index.ts';
import type { Runtime } from '../../runtime/index.ts';
import { supervisedOf } from '../labels.ts';
import { readHealth } from '../../supervisor/index.ts';
import { shouldRestart } from '../../supervisor/policy.ts';
import { readSupervisionSet } from '../supervision/supervision-set.ts';
import { supervisorDead } from '../supervision/revive-supervisor.ts';
import { byCodeUnit } from '../../common/compare.ts';

/** A published port of a `ps` row. */
export interface Publisher {
  readonly URL: string;
  readonly TargetPort: number;
  readonly PublishedPort: number;
  readonly Protocol: string;
}

/** One row of `gantry ps --format json`, Docker Compose's fields. */
export interface PsEntry {
  readonly Name: string;
  readonly Service: string;
  readonly Project: string;
  readonly Command: string;
  /** `restarting`: exited, and the supervisor will start it again under its restart policy (Docker's state). */
  readonly State: 'created' | 'running' | 'paused' | 'restarting' | 'exited';
  readonly Health: string;
  readonly ExitCode: number;
  readonly Status: string;
  readonly Publishers: readonly Publisher[];
}

function statusText(state: string, exitCode: number, health: string, supervised: boolean): string {
  if (state === 'running') return health ? `Up (${health})` : supervised ? 'Up' : 'Up (no supervisor)';
  if (state === 'paused') return 'Up (Paused)';
  if (state === 'restarting') return `Restarting (${exitCode})`;
  return state === 'exited' ? `Exited (${exitCode})` : 'Created';
}

/** `run` containers only with oneOffs (Compose lists them with `ps -a`). */
export async function psEntries(
  runtime: Runtime,
  project: string,
  projectDir: string,
  o: { oneOffs?: boolean } = {},
): Promise<readonly PsEntry[]> {
  const states = (await runtime.list()).filter(
    (s) => s.labels[LABELS.project] === project && (o.oneOffs || s.labels[LABELS.oneOff] !== 'True'),
  );
  const set = readSupervisionSet(projectDir);
  const stoppedByUser = new Set(set?.containers.filter((c) => c.stoppedByUser).map((c) => c.id));
  const supervised = new Set(set?.containers.map((c) => c.id));
  // A dead supervisor restarts nothing and probes nothing: its last word is not the truth.
  const alive = !supervisorDead(projectDir);
  return states
    .map((s): PsEntry => {
      const sup = supervisedOf(s.labels);
      const health =
        s.status === 'running' && sup?.healthcheck && alive ? (readHealth(projectDir, s.id)?.status ?? 'starting') : '';
      const exitCode = s.exitCode ?? 0;
      const restarting =
        s.status === 'exited' &&
        sup !== undefined &&
        supervised.has(s.id) &&
        alive &&
        shouldRestart(
          sup.restart,
          s.exitCode,
          readHealth(projectDir, s.id)?.restartCount ?? 0,
          stoppedByUser.has(s.id),
        );
      const state = restarting ? 'restarting' : s.status;
      return {
        Name: s.id,
        Service: s.labels[LABELS.service] ?? '',
        Project: project,
        Command: s.args.join(' '),
        State: state,
        Health: health,
        ExitCode: exitCode,
        Status: statusText(state, exitCode, health, alive || !supervised.has(s.id)),
        Publishers: (sup?.ports ?? []).map((p) => ({
          URL: p.hostIp || '0.0.0.0',
          TargetPort: p.containerPort,
          PublishedPort: p.hostPort,
          Protocol: p.protocol,
        })),
      };
    })
    .sort((a, b) => byCodeUnit(a.Name, b.Name));
}
