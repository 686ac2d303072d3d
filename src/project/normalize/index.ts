// Validated RawProject → Project. Each attribute has its own module (see service.ts); this
// file only walks the top level, adds the implied `default` network, and freezes the result.
// Never mutates the raw document.
import type { Project, ServiceConfig } from '../model.ts';
import type { RawProject } from '../raw.ts';
import { configError, extensionsOf, isDict, type NormalizeContext } from './context.ts';
import { normalizeService } from './service.ts';
import { normalizeFileObjects, normalizeNetworks, normalizeVolumeDefs } from './top-level.ts';
import { deepFreeze } from '../deep-freeze.ts';

export { deepFreeze };

export function normalizeProject(raw: RawProject): Project {
  const ctx: NormalizeContext = {
    projectName: raw.name,
    projectDir: raw.projectDirectory,
    environment: raw.environment,
    positions: raw.positions,
    disabledServices: new Set(raw.disabledServices ?? []),
  };
  const data = raw.data;
  if (data.services !== undefined && data.services !== null && !isDict(data.services))
    throw configError(ctx, ['services'], 'must be a mapping');
  const services: Record<string, ServiceConfig> = {};
  for (const [name, svc] of Object.entries(isDict(data.services) ? data.services : {}))
    services[name] = normalizeService(ctx, name, svc);
  const usesDefault = Object.values(services).some(
    (s) => s.networks !== undefined && Object.hasOwn(s.networks, 'default'),
  );
  return deepFreeze<Project>({
    name: raw.name,
    workingDir: raw.projectDirectory,
    configFiles: [...raw.configFiles],
    services,
    networks: normalizeNetworks(ctx, data.networks, usesDefault),
    volumes: normalizeVolumeDefs(ctx, data.volumes),
    secrets: normalizeFileObjects(ctx, 'secrets', data.secrets),
    configs: normalizeFileObjects(ctx, 'configs', data.configs),
    extensions: extensionsOf(data) ?? {},
    environment: { ...raw.environment },
    activeProfiles: [...raw.activeProfiles],
    allProfiles: [...raw.allProfiles],
    disabledServices: [...(raw.disabledServices ?? [])],
    unsupported: [],
    warnings: [...raw.warnings],
  });
}
