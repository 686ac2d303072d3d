// One service, raw → ServiceConfig: each attribute through its own module. MODELLED_KEYS lists
// every raw key this reads (unsupported.ts lists the rest; a test checks the two cover the schema).
import type { ServiceConfig } from '../model.ts';
import { asString, configError, extensionsOf, isDict, type NormalizeContext } from './context.ts';
import { SCALAR_KEYS, normalizeScalars } from './scalars.ts';
import { normalizeCommand } from './command.ts';
import { normalizeEnvFiles, normalizeEnvironment } from './environment.ts';
import { normalizePorts } from './ports.ts';
import { normalizeVolumes } from './volumes.ts';
import { normalizeDependsOn, withImplicitDependencies } from './depends-on.ts';
import { normalizeHealthcheck } from './healthcheck.ts';
import { normalizeBuild } from './build.ts';
import { normalizeDevelop } from './develop.ts';
import { normalizeServiceNetworks } from './service-networks.ts';
import { normalizeServiceFiles } from './service-files.ts';
import { normalizeUlimits } from './ulimits.ts';
import { normalizeExtraHosts } from './extra-hosts.ts';
import { normalizeDeploy } from './resources.ts';
import { normalizeLogging } from './logging.ts';
import { serviceRefs } from './service-refs.ts';
import { containerNames } from '../container-names.ts';
import { normalizeSecurityOpt } from './security-opt.ts';
import { normalizeDevices } from './devices.ts';

export const MODELLED_KEYS: readonly string[] = [
  ...Object.keys(SCALAR_KEYS),
  ...[
    'image',
    'build',
    'develop',
    'command',
    'entrypoint',
    'environment',
    'env_file',
    'ports',
    'volumes',
    'depends_on',
    'healthcheck',
  ],
  ...['networks', 'network_mode', 'secrets', 'configs', 'ulimits', 'extra_hosts', 'deploy', 'logging'],
  ...['security_opt', 'devices'],
  // reconciled into deploy by resources.ts
  ...['scale', 'mem_limit', 'cpus', 'pids_limit', 'mem_reservation'],
];

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

export function normalizeService(ctx: NormalizeContext, name: string, raw: unknown): ServiceConfig {
  const path = ['services', name];
  if (!isDict(raw)) throw configError(ctx, path, 'must be a mapping');
  const has = (k: string): boolean => raw[k] !== undefined && raw[k] !== null;
  if (has('network_mode') && has('networks'))
    throw configError(ctx, [...path, 'network_mode'], "can't be set together with networks");
  const build = has('build') ? normalizeBuild(ctx, [...path, 'build'], raw.build) : undefined;
  // A `provider:` service is run by a Compose provider plugin, not from an image: it has none
  // (gantry keeps it in the model, shows it in `config`, and `up` refuses it: unsupported.ts).
  const image = has('image')
    ? asString(ctx, [...path, 'image'], raw.image)
    : build
      ? `${ctx.projectName}-${name}`
      : undefined;
  if (image === undefined && !has('provider')) throw configError(ctx, path, 'has neither an image nor a build context');
  const deploy = normalizeDeploy(ctx, path, raw);
  const extensions = extensionsOf(raw);
  const svc: Record<string, unknown> = {
    name,
    ...(image !== undefined ? { image } : {}),
    ...(build ? { build } : {}),
    ...(raw.develop !== undefined ? { develop: normalizeDevelop(ctx, [...path, 'develop'], raw.develop) } : {}),
    ...(raw.command !== undefined ? { command: normalizeCommand(ctx, [...path, 'command'], raw.command) } : {}),
    ...(raw.entrypoint !== undefined
      ? { entrypoint: normalizeCommand(ctx, [...path, 'entrypoint'], raw.entrypoint) }
      : {}),
    environment: normalizeEnvironment(ctx, [...path, 'environment'], raw.environment),
    ...(has('env_file') ? { env_file: normalizeEnvFiles(ctx, [...path, 'env_file'], raw.env_file) } : {}),
    ports: has('ports') ? normalizePorts(ctx, [...path, 'ports'], raw.ports) : [],
    volumes: has('volumes') ? normalizeVolumes(ctx, [...path, 'volumes'], raw.volumes) : [],
    depends_on: has('depends_on') ? normalizeDependsOn(ctx, [...path, 'depends_on'], raw.depends_on) : {},
    ...(has('healthcheck')
      ? { healthcheck: normalizeHealthcheck(ctx, [...path, 'healthcheck'], raw.healthcheck) }
      : {}),
    ...(has('network_mode')
      ? { network_mode: asString(ctx, [...path, 'network_mode'], raw.network_mode) }
      : {
          networks: has('networks')
            ? normalizeServiceNetworks(ctx, [...path, 'networks'], raw.networks)
            : { default: null },
        }),
    ...(has('secrets') ? { secrets: normalizeServiceFiles(ctx, [...path, 'secrets'], raw.secrets, 'secrets') } : {}),
    ...(has('configs') ? { configs: normalizeServiceFiles(ctx, [...path, 'configs'], raw.configs, 'configs') } : {}),
    ...(has('ulimits') ? { ulimits: normalizeUlimits(ctx, [...path, 'ulimits'], raw.ulimits) } : {}),
    ...(has('extra_hosts') ? { extra_hosts: normalizeExtraHosts(ctx, [...path, 'extra_hosts'], raw.extra_hosts) } : {}),
    ...(deploy ? { deploy } : {}),
    ...(has('logging') ? { logging: normalizeLogging(ctx, [...path, 'logging'], raw.logging) } : {}),
    ...(has('security_opt')
      ? { security_opt: normalizeSecurityOpt(ctx, [...path, 'security_opt'], raw.security_opt) }
      : {}),
    ...(has('devices') ? { devices: normalizeDevices(ctx, [...path, 'devices'], raw.devices) } : {}),
    ...normalizeScalars(ctx, path, raw),
    ...(extensions ? { extensions } : {}),
  };
  if (typeof svc.restart === 'string' && !RESTART.test(svc.restart)) {
    throw configError(
      ctx,
      [...path, 'restart'],
      `invalid restart policy "${svc.restart}" (no, always, on-failure[:N], unless-stopped)`,
    );
  }
  svc['refs'] = serviceRefs(ctx, path, svc);
  const fixedName = typeof svc.container_name === 'string' ? svc.container_name : undefined;
  svc['container_names'] = containerNames(ctx.projectName, name, fixedName, deploy?.replicas ?? 1);
  const typed = svc as unknown as ServiceConfig;
  svc['depends_on'] = withImplicitDependencies({ ...typed.depends_on }, typed);
  return svc as unknown as ServiceConfig;
}
