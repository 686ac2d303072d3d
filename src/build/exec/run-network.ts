// When a build takes and gives back the build bridge's namespace. Taken ahead: as soon as a step
// runs, if a RUN after it needs the bridge (should it have to be made, the ip processes run beside
// that step instead of in front of the RUN). Given back early: once no step left in a stage needs
// it, the stage says so, and the build gives it back beside the steps still to come.
import type { ResolvedStep } from '../resolve/types.ts';
import type { BuildEnv } from './run-stage.ts';

/** Whether any of these steps is a RUN on the build bridge (RUN --network=default, the default). */
export function needsBuildNetwork(steps: readonly ResolvedStep[], defaultNetwork: BuildEnv['defaultNetwork']): boolean {
  return steps.some(
    (s) => s.instruction.kind === 'RUN' && (s.instruction.network ?? defaultNetwork ?? 'default') === 'default',
  );
}

/** A step of `steps` is about to run: the namespace is made now if a RUN among them needs it. */
export function prepareNetwork(env: BuildEnv, steps: readonly ResolvedStep[]): void {
  // A RUN that turns out cached leaves it unused; a failure is reported by the RUN that awaits it.
  if (env.network && needsBuildNetwork(steps, env.defaultNetwork)) env.network().catch(() => undefined);
}

/** For one stage: call with the steps still to come; says networkDone once, when none needs the bridge. */
export function networkRelease(env: BuildEnv, steps: readonly ResolvedStep[]): (rest: readonly ResolvedStep[]) => void {
  let pending = needsBuildNetwork(steps, env.defaultNetwork);
  return (rest) => {
    if (!pending || needsBuildNetwork(rest, env.defaultNetwork)) return;
    pending = false;
    env.networkDone?.();
  };
}
