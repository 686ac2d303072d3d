// The part of a Project the fixture files spell out: everything but the bookkeeping that
// depends on where and how it was loaded (workingDir, configFiles, environment, profiles). A
// service's parsed `refs` are spelled out only where they hold something; its derived
// `container_names` never (test/unit/project/container-names.test.ts covers them).
import type { Project, ServiceConfig } from '../../src/project/model.ts';

export function modelView(p: Project): unknown {
  const { networks, volumes, secrets, configs, extensions, unsupported, warnings } = p;
  const empty = (r: ServiceConfig['refs']): boolean =>
    Object.values(r).every((v) => Array.isArray(v) && v.length === 0);
  const services = Object.fromEntries(
    Object.entries(p.services).map(([k, s]) => {
      const { refs, container_names: _names, ...rest } = s;
      return [k, refs === undefined || empty(refs) ? rest : { ...rest, refs }];
    }),
  );
  return JSON.parse(
    JSON.stringify({ services, networks, volumes, secrets, configs, extensions, unsupported, warnings }),
  );
}
