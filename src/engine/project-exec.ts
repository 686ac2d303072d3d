// `exec` on a loaded project, shared by the Node API's handle (project.ts) and the light door of the
// CLI's exec (exec-run.ts): the service must exist in the model, a dead supervisor is revived
// first, and the replica is looked up under the model's container names.
import { RuntimeError } from '../common/errors.ts';
import type { Project } from '../project/model.ts';
import type { EngineOptions } from './project-handle.ts';
import type { ExecRequest } from './commands/exec.ts';
import { supervisedRuntime } from './project-context.ts';

export async function execInProject(project: Project, o: EngineOptions, req: ExecRequest): Promise<number> {
  if (!(req.service in project.services)) throw new RuntimeError(`no such service: ${req.service}`);
  const [runtime, { execInService }] = await Promise.all([supervisedRuntime(project, o), import('./commands/exec.ts')]);
  return execInService(runtime, project.name, req, project.services[req.service]!.container_names);
}
