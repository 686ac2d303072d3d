// The compose `build:` keys that shape a build beyond its Dockerfile: network (default, none or
// host: BuildKit knows no other, and compose grants host), extra_hosts, shm_size, ulimits and
// privileged for every RUN container, secrets from the project's top-level secrets (file or
// environment), platforms (the host's only), cache_from/cache_to (local forms only, a directory
// in OCI layout relative to the project; registry and other exporters are refused clearly).
import type { BuildRequest } from '../../build/index.ts';
import type { Project } from '../../project/model.ts';
import { resolve } from 'node:path';
import { ConfigError, UnsupportedError } from '../../common/errors.ts';

type Options = Pick<
  BuildRequest,
  'defaultNetwork' | 'allowHostNetwork' | 'runOptions' | 'secrets' | 'cacheFrom' | 'cacheTo'
>;

/** type=local entries with their src/dest made absolute against the project directory. */
function cacheEntries(name: string, key: string, list: readonly string[] | undefined, base: string): string[] {
  return (list ?? []).map((e) => {
    const type = /(?:^|,)type=([^,]*)/.exec(e)?.[1];
    if (type !== 'local') {
      throw new UnsupportedError(
        `service ${name}: build.${key}: ${e}: only type=local is supported (a local directory in OCI layout)`,
      );
    }
    return e.replace(
      /(^|,)(src|dest)=([^,]*)/g,
      (_m, sep: string, k: string, v: string) => `${sep}${k}=${resolve(base, v)}`,
    );
  });
}

/** host: the host's platform as os/arch[/variant]. */
export function buildRunOptions(project: Project, name: string, host: string): Options {
  const b = project.services[name]!.build!;
  const net = b.network;
  if (net !== undefined && !['default', 'none', 'host', 'bridge'].includes(net)) {
    throw new UnsupportedError(`service ${name}: build.network: ${net}: a build runs on default, none or host`);
  }
  for (const p of b.platforms ?? []) {
    if (p !== host && `${p}/` !== host.slice(0, p.length + 1))
      throw new UnsupportedError(
        `service ${name}: build.platforms: ${p}: only the host's platform (${host}) can be built`,
      );
  }
  const cacheFrom = cacheEntries(name, 'cache_from', b.cache_from, project.workingDir);
  const cacheTo = cacheEntries(name, 'cache_to', b.cache_to, project.workingDir);
  const secrets = (b.secrets ?? []).map((ref) => {
    const top = project.secrets[ref.source];
    if (!top) throw new ConfigError(`service ${name}: build.secrets: ${ref.source} is not a top-level secret`);
    const id = ref.target.startsWith('/run/secrets/') ? ref.source : ref.target;
    if (top.file !== undefined) return { id, file: top.file };
    if (top.environment !== undefined) return { id, env: top.environment };
    throw new UnsupportedError(
      `service ${name}: build.secrets: ${ref.source}: only file and environment secrets can be used in a build`,
    );
  });
  const extraHosts = (b.extra_hosts ?? []).map((h) => {
    if (h.ip === 'host-gateway')
      throw new UnsupportedError(
        `service ${name}: build.extra_hosts: ${h.host}: host-gateway is not supported in builds`,
      );
    return `${h.ip}\t${h.host}`;
  });
  return {
    ...(net !== undefined
      ? { defaultNetwork: net === 'bridge' ? 'default' : (net as 'default' | 'none' | 'host') }
      : {}),
    allowHostNetwork: net === 'host',
    secrets,
    cacheFrom,
    cacheTo,
    runOptions: {
      ...(extraHosts.length > 0 ? { extraHosts } : {}),
      ...(b.shm_size !== undefined ? { shmSize: b.shm_size } : {}),
      ...(b.ulimits
        ? { rlimits: Object.entries(b.ulimits).map(([type, l]) => ({ type, soft: l.soft, hard: l.hard })) }
        : {}),
      ...(b.privileged ? { allowInsecure: true } : {}),
    },
  };
}
