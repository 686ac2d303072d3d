// Reading back what the engine wrote into a container's labels; kept free of heavy imports
// because `ps` loads it.
import { SUPERVISION_LABEL, type SupervisedContainer } from '../supervisor/contract.ts';

/** Extra labels beside plan/LABELS. */
export const ENGINE_LABELS = {
  netns: 'io.gantry.netns',
  supervision: SUPERVISION_LABEL,
} as const;

export function supervisedOf(labels: Readonly<Record<string, string>>): SupervisedContainer | undefined {
  const text = labels[ENGINE_LABELS.supervision];
  return text ? (JSON.parse(text) as SupervisedContainer) : undefined;
}

/** Compose's label keys, one table for the planner, the engine and logs. */
export { LABELS } from '../plan/observed.ts';
