// `ps`: the project's containers with state, health (the supervisor's file) and published ports,
// in the shape of Compose's `ps --format json`. Needs only the runtime: kept cheap.
import { LABELS } from '../plan/index.ts';
import type { Runtime } from '../runtime/index.ts';
import { supervisedOf } from './labels.ts';
import { readHealth } from './supervisor/index.ts';

export interface Publisher {
  readonly URL: string;
  readonly TargetPort: number;
  readonly PublishedPort: number;
  readonly Protocol: string;
}

export interface PsEntry {
  readonly Name: string;
  readonly Service: string;
  readonly Project: string;
  readonly Command: string;
  readonly State: 'created' | 'running' | 'exited';
  readonly Health: string;
  readonly ExitCode: number;
  readonly Status: string;
  readonly Publishers: readonly Publisher[];
}

function statusText(state: string, exitCode: number, health: string): string {
  if (state === 'running') return health ? `Up (${health})` : 'Up';
  return state === 'exited' ? `Exited (${exitCode})` : 'Created';
}

/** `run` containers only with oneOffs (Compose lists them with `ps -a`). */
export async function psEntries(runtime: Runtime, project: string, projectDir: string, o: { oneOffs?: boolean } = {}): Promise<readonly PsEntry[]> {
  const states = (await runtime.list()).filter((s) => s.labels[LABELS.project] === project && (o.oneOffs || s.labels[LABELS.oneOff] !== 'True'));
  return states
    .map((s): PsEntry => {
      const sup = supervisedOf(s.labels);
      const health = s.status === 'running' && sup?.healthcheck ? (readHealth(projectDir, s.id)?.status ?? 'starting') : '';
      const exitCode = s.exitCode ?? 0;
      return {
        Name: s.id,
        Service: s.labels[LABELS.service] ?? '',
        Project: project,
        Command: s.args.join(' '),
        State: s.status,
        Health: health,
        ExitCode: exitCode,
        Status: statusText(s.status, exitCode, health),
        Publishers: (sup?.ports ?? []).map((p) => ({ URL: p.hostIp || '0.0.0.0', TargetPort: p.containerPort, PublishedPort: p.hostPort, Protocol: p.protocol })),
      };
    })
    .sort((a, b) => a.Name.localeCompare(b.Name));
}
