// The planner's public surface: pure functions from a project and what exists to a Plan.
export {
  buildGraph,
  withDependencies,
  withRestartDependents,
  withNetworkJoiners,
  startOrder,
  type Graph,
  type Edge,
} from './graph.ts';
export { reconcile, orphansOf, type UpOptions, type Desired } from './reconcile.ts';
export { planDown, type DownOptions } from './down-plan.ts';
export { planRun, type RunPlanOptions } from './oneoff-plan.ts';
export { planKill, planPause, planRestart, planRm, planStart, planStop } from './lifecycle-plan.ts';
export { formatPlan, topological, opId, type Plan, type PlanOp, type OpKind, type PlannedPort } from './plan.ts';
export { LABELS, type Observed, type ObservedContainer, type ObservedStatus } from './observed.ts';
export { serviceNetworks, serviceVolumes, managedNetworks, managedVolumes } from './resources.ts';
