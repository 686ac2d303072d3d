// The part of a Project the fixture files spell out: everything but the bookkeeping that
// depends on where and how it was loaded (workingDir, configFiles, environment, profiles).
import type { Project } from '../../src/project/model.ts';

export function modelView(p: Project): unknown {
  const { services, networks, volumes, secrets, configs, extensions, unsupported, warnings } = p;
  return JSON.parse(JSON.stringify({ services, networks, volumes, secrets, configs, extensions, unsupported, warnings }));
}
