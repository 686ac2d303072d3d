// The log files of a project's containers, found by gantry's labels (project, service, number),
// optionally only some services; in service then number order, for stable output.
import type { Runtime } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';
import type { LogSource } from './stream-logs.ts';

export async function projectLogSources(
  rt: Runtime,
  project: string,
  services: readonly string[] = [],
): Promise<readonly LogSource[]> {
  const out: LogSource[] = [];
  for (const c of await rt.list()) {
    const service = c.labels[LABELS.service];
    if (c.labels[LABELS.project] !== project || service === undefined) continue;
    if (services.length > 0 && !services.includes(service)) continue;
    out.push({ id: c.id, service, number: Number(c.labels[LABELS.number] ?? 1), path: rt.logPath(c.id) });
  }
  return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.number - b.number));
}
