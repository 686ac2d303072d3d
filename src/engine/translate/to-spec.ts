// A compose service + its image's config → the runtime's ContainerSpec, by Docker's rules:
// entrypoint given → the image's cmd is dropped too; env is image then service; workdir, user
// and stop signal fall back to the image. Mounts come from mounts.ts, networking from the caller.
// `container run` comes through here too (container-spec.ts), so both follow one set of rules.
import { shortId } from '../../common/short-id.ts';
import type { ContainerSpec, MountSpec, ProcessSpec } from '../../runtime/index.ts';
import type { ImageConfig } from '../../image/index.ts';
import type { NamespaceRef, ServiceConfig } from '../../project/model.ts';
import { UnsupportedError } from '../../common/errors.ts';
import { logOptions } from './log-options.ts';
import { devicesOf, securityOf } from './security-spec.ts';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SpecNetworking {
  readonly netns?: string; // own namespace path
  readonly shareNet?: string; // "host" or another container's netns path
  readonly dnsServers: readonly string[]; // empty: the host's resolv.conf
  /** Docker's 127.0.0.11 (see ContainerSpec.embeddedDns): `relayTo` when this netns is the container's own. */
  readonly embeddedDns?: { readonly relayTo?: string };
  /** The container's address on its primary network, for its hostname in /etc/hosts. */
  readonly address?: string;
  /** What extra_hosts' `host-gateway` means: the host's address on the first network's bridge. */
  readonly hostGateway?: string;
}

/** What of an image the translation reads: its layers and the config fields Docker's rules consult. */
export interface SpecImage {
  readonly layers: readonly string[];
  readonly config: Pick<ImageConfig, 'env' | 'cmd' | 'entrypoint' | 'workingDir' | 'user' | 'stopSignal'> & {
    readonly exposedPorts?: readonly string[];
  };
}

export interface SpecInput {
  readonly svc: ServiceConfig;
  readonly image: SpecImage;
  /** The user's home from the image's passwd (runtime userHome): HOME unless the env sets one, as Docker. */
  readonly home?: string;
  readonly name: string; // container name
  readonly mounts: readonly MountSpec[];
  readonly net: SpecNetworking;
  readonly labels: Readonly<Record<string, string>>;
}

/** Docker's hostname is the container's short id; ours is derived from the name, stable across restarts. */
export { shortId };

export function commandLine(svc: ServiceConfig, image: SpecImage): readonly string[] {
  const entry = svc.entrypoint !== undefined ? (svc.entrypoint ?? []) : (image.config.entrypoint ?? []);
  // Setting entrypoint resets the image's cmd (Docker's rule); command replaces cmd.
  const imageCmd = svc.entrypoint !== undefined ? [] : (image.config.cmd ?? []);
  const cmd = svc.command !== undefined ? (svc.command ?? []) : imageCmd;
  return [...entry, ...cmd];
}

export function environment(svc: ServiceConfig, image: SpecImage, hostname: string, home?: string): readonly string[] {
  const env = new Map<string, string>([
    ['PATH', DEFAULT_PATH],
    ['HOSTNAME', hostname],
  ]);
  if (home !== undefined) env.set('HOME', home);
  if (svc.tty) env.set('TERM', 'xterm');
  for (const kv of image.config.env) {
    const i = kv.indexOf('=');
    if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1));
  }
  for (const [k, v] of Object.entries(svc.environment)) if (v !== null) env.set(k, v);
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function processOf(svc: ServiceConfig, image: SpecImage, hostname: string, home: string | undefined): ProcessSpec {
  const args = commandLine(svc, image);
  if (args.length === 0)
    throw new UnsupportedError(`service ${svc.name}: no command (the image has none and the service sets none)`);
  const user = svc.user ?? image.config.user;
  return {
    args,
    env: environment(svc, image, hostname, home),
    cwd: svc.working_dir ?? (image.config.workingDir || '/'),
    ...(user ? { user } : {}),
    ...(svc.group_add ? { additionalGroups: svc.group_add } : {}),
    ...(svc.tty ? { tty: true } : {}),
    ...(svc.stdin_open ? { stdin: true } : {}),
    ...(svc.cap_add ? { capAdd: svc.cap_add } : {}),
    ...(svc.cap_drop ? { capDrop: svc.cap_drop } : {}),
    ...(svc.ulimits
      ? { rlimits: Object.entries(svc.ulimits).map(([type, l]) => ({ type, soft: l.soft, hard: l.hard })) }
      : {}),
  };
}

function resources(svc: ServiceConfig): ContainerSpec['resources'] {
  const l = svc.deploy?.resources?.limits;
  const reserved = svc.deploy?.resources?.reservations?.memory;
  const r = {
    ...(l?.memory !== undefined ? { memory: l.memory } : {}),
    ...(l?.cpus !== undefined ? { cpus: l.cpus } : {}),
    ...(l?.pids !== undefined ? { pids: l.pids } : {}),
    ...(svc.memswap_limit !== undefined ? { memorySwap: svc.memswap_limit } : {}),
    ...(reserved !== undefined ? { memoryReservation: reserved } : {}),
    ...(svc.cpu_shares !== undefined ? { cpuShares: svc.cpu_shares } : {}),
    ...(svc.cpuset !== undefined ? { cpuset: svc.cpuset } : {}),
  };
  return Object.keys(r).length > 0 ? r : undefined;
}

/**
 * `pid: host` and `ipc: host` share gantry's own namespaces, as `container run --pid/--ipc host`
 * does; ipc `private`/`shareable` is the default, a fresh one. Joining another service's or
 * container's is not done yet: refused, never ignored.
 */
function namespacesOf(svc: ServiceConfig, shareNet: string | undefined): Pick<ContainerSpec, 'namespaces'> {
  const { pid, ipc } = svc.refs;
  const pidHost = pid?.kind === 'mode' && pid.name === 'host';
  if (pid !== undefined && !pidHost)
    throw new UnsupportedError(`service ${svc.name}: pid "${refText(pid)}" is not supported yet (only "host")`);
  const ipcHost = ipc?.kind === 'mode' && ipc.name === 'host';
  if (ipc !== undefined && !(ipc.kind === 'mode' && ['host', 'private', 'shareable'].includes(ipc.name))) {
    throw new UnsupportedError(
      `service ${svc.name}: ipc "${refText(ipc)}" is not supported yet (host, private or shareable)`,
    );
  }
  const ns = {
    ...(shareNet ? { net: shareNet } : {}),
    ...(pidHost ? { pid: 'host' } : {}),
    ...(ipcHost ? { ipc: 'host' } : {}),
  };
  return Object.keys(ns).length > 0 ? { namespaces: ns } : {};
}

/** The reference as the compose file wrote it, for messages. */
const refText = (r: NamespaceRef): string => (r.kind === 'mode' ? r.name : `${r.kind}:${r.name}`);

export function toSpec(i: SpecInput): ContainerSpec {
  const { svc } = i;
  const devices = devicesOf(svc);
  const security = securityOf(svc);
  const base = baseSpec(i, svc.hostname ?? shortId(i.name));
  return {
    ...base,
    process: { ...base.process, ...security.process },
    ...security.spec,
    ...(svc.shm_size !== undefined ? { shmSize: svc.shm_size } : {}),
    ...(svc.oom_score_adj !== undefined ? { oomScoreAdj: svc.oom_score_adj } : {}),
    ...(devices.length > 0 ? { devices } : {}),
  };
}

/** `host-gateway` is the host's address on the container's bridge (Docker: docker0's). */
function extraHostLines(svc: ServiceConfig, net: SpecNetworking): string[] {
  return (svc.extra_hosts ?? []).map((h) => {
    if (h.ip !== 'host-gateway') return `${h.ip}\t${h.host}`;
    if (!net.hostGateway) {
      throw new UnsupportedError(
        `services.${svc.name}.extra_hosts: ${h.host}: host-gateway needs the service on a gantry network ` +
          `(network_mode ${svc.refs.network_mode ? refText(svc.refs.network_mode) : 'default'})`,
      );
    }
    return `${net.hostGateway}\t${h.host}`;
  });
}

function baseSpec(i: SpecInput, hostname: string): ContainerSpec {
  const { svc, image } = i;
  const res = resources(svc);
  const stopSignal = svc.stop_signal ?? image.config.stopSignal;
  const extraHosts = extraHostLines(svc, i.net);
  return {
    // A container's writable layer is not its data (volumes are): no syncs of it (RootfsSpec.volatile).
    rootfs: { layers: image.layers, readOnly: svc.read_only ?? false, volatile: true },
    process: processOf(svc, image, hostname, i.home),
    hostname,
    ...(svc.domainname ? { domainname: svc.domainname } : {}),
    mounts: i.mounts,
    ...(i.net.netns ? { netns: i.net.netns } : {}),
    ...namespacesOf(svc, i.net.shareNet),
    ...(res ? { resources: res } : {}),
    ...(svc.sysctls ? { sysctls: svc.sysctls } : {}),
    ...(svc.init ? { init: true } : {}),
    ...(svc.privileged ? { privileged: true } : {}),
    ...(stopSignal ? { stopSignal } : {}),
    ...(extraHosts.length > 0 ? { extraHosts } : {}),
    ...(i.net.embeddedDns ? { embeddedDns: i.net.embeddedDns } : {}),
    ...(i.net.address ? { hostAddress: i.net.address } : {}),
    ...(i.net.dnsServers.length > 0 || svc.dns || svc.dns_search || svc.dns_opt
      ? {
          dns: {
            nameservers: svc.dns ?? i.net.dnsServers,
            ...(svc.dns_search ? { search: svc.dns_search } : {}),
            ...(svc.dns_opt ? { options: svc.dns_opt } : {}),
          },
        }
      : {}),
    labels: i.labels,
    log: logOptions(svc),
  };
}
