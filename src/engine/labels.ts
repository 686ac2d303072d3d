// Reading back what the engine wrote into a container's labels; kept free of heavy imports
// because `ps` loads it.
import { SUPERVISION_LABEL } from '../supervisor/contract.ts';

/** Extra labels beside plan/LABELS. */
export const ENGINE_LABELS = {
  netns: 'io.gantry.netns',
  supervision: SUPERVISION_LABEL,
} as const;

export { supervisedOf } from '../supervisor/contract.ts';

/** Compose's label keys, one table for the planner, the engine and logs. */
import { LABELS } from '../plan/observed.ts';
export { LABELS };

/** A service's own container (not a oneoff) of the project, by the labels `up` wrote. */
export const isServiceContainer = (labels: Readonly<Record<string, string>>, project: string, service: string) =>
  labels[LABELS.project] === project && labels[LABELS.service] === service && labels[LABELS.oneOff] !== 'True';
