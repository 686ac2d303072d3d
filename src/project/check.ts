// Cross-field checks on the normalized project, each error at the file:line:col of the
// offending reference: undefined networks/volumes/secrets/configs/services, dependency cycles,
// container_name with several replicas or shared by two services. (Two services publishing one host port
// are a warning: check-ports.ts.)
import { ConfigError } from '../common/errors.ts';
import type { Project } from './model.ts';
import { formatKeyPath, type KeyPath, type RawProject } from './raw.ts';
import { dependenciesOf, isDefined, referencesOf, refPath } from './check-refs.ts';
import { nameProblem } from '../common/names.ts';
import { checkKernelValues } from './check-kernel-values.ts';

export function checkProject(project: Project, raw: RawProject): void {
  const fail = (path: KeyPath, detail: string): never => {
    throw new ConfigError(detail, { position: raw.positions(path), keyPath: formatKeyPath(path) });
  };
  for (const [name, svc] of Object.entries(project.services)) {
    for (const ref of referencesOf(svc)) {
      if (isDefined(project, ref)) continue;
      fail(refPath(raw, name, ref.attribute, ref.name), `refers to undefined ${ref.kind} "${ref.name}"`);
    }
    const cnProblem = svc.container_name === undefined ? undefined : nameProblem('container', svc.container_name);
    if (cnProblem !== undefined) fail(['services', name, 'container_name'], cnProblem);
    const replicas = svc.deploy?.replicas ?? 1;
    if (svc.container_name !== undefined && replicas > 1) {
      fail(
        ['services', name, 'container_name'],
        `container_name "${svc.container_name}" must be unique, but the service has ${replicas} replicas`,
      );
    }
  }
  checkContainerNames(project, fail);
  checkCycles(project, raw, fail);
  checkKernelValues(project, fail);
}

type Fail = (path: KeyPath, detail: string) => never;

// Container names are global on the host: two services cannot share one.
function checkContainerNames(project: Project, fail: Fail): void {
  const owner = new Map<string, string>();
  for (const [name, svc] of Object.entries(project.services)) {
    const cn = svc.container_name;
    if (cn === undefined) continue;
    const other = owner.get(cn);
    if (other !== undefined)
      fail(['services', name, 'container_name'], `container_name "${cn}" is already used by service "${other}"`);
    owner.set(cn, name);
  }
}

// Depth-first search; the first back edge found names the cycle from its first service.
function checkCycles(project: Project, raw: RawProject, fail: Fail): void {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    const svc = project.services[name];
    for (const dep of svc ? dependenciesOf(svc) : []) {
      if (!Object.hasOwn(project.services, dep)) continue;
      if (state.get(dep) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const first = cycle[0]!;
        const attr =
          referencesOf(project.services[first]!).find((r) => r.kind === 'service' && r.name === cycle[1])?.attribute ??
          'depends_on';
        fail(refPath(raw, first, attr, cycle[1]!), `dependency cycle: ${cycle.join(' -> ')}`);
      }
      if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(project.services)) if (!state.has(name)) visit(name);
}
