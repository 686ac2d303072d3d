// `ls`: every project of a state root, found from the runtime's containers and their compose
// labels (no per-project state is trusted: a project exists while a container of it does).
import type { Runtime } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';
import { byCodeUnit } from '../../common/compare.ts';

export interface ProjectRow {
  readonly Name: string;
  /** Compose's combined form: `exited(1), running(2)` (states sorted). */
  readonly Status: string;
  readonly ConfigFiles: string;
}

export function combinedStatus(states: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((s) => `${s}(${counts.get(s)})`)
    .join(', ');
}

export async function listProjects(rt: Pick<Runtime, 'list'>, o: { all?: boolean } = {}): Promise<ProjectRow[]> {
  const byProject = new Map<string, { states: string[]; files: string }>();
  for (const c of await rt.list()) {
    const name = c.labels[LABELS.project];
    if (!name) continue; // a bare runtime container: no project
    const p = byProject.get(name) ?? { states: [], files: '' };
    p.states.push(c.status);
    p.files ||= c.labels[LABELS.configFiles] ?? '';
    byProject.set(name, p);
  }
  return [...byProject.entries()]
    .filter(([, p]) => o.all === true || p.states.includes('running'))
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([Name, p]) => ({ Name, Status: combinedStatus(p.states), ConfigFiles: p.files }));
}
