// `container run` flags → a compose service → to-spec.ts, the translator services use, so HOME,
// HOSTNAME, TERM, the command line, tmpfs and limits follow one set of Docker rules. What compose
// cannot say (namespace paths, a seccomp profile file, --uts) is added to the spec afterwards.
import { readFileSync } from 'node:fs';
import type { ContainerSpec, MountSpec, SeccompSetting } from '../../runtime/index.ts';
// The parser alone, not the runtime's facade: config and version must not load the runtime.
import { parseDockerProfile } from '../../runtime/seccomp/docker-profile.ts';
import type { ServiceConfig } from '../../project/model.ts';
import { parseBytes as parseSize } from '../../common/bytes.ts';
import { UsageError } from '../../common/errors.ts';
import { hasControlChar, isSysctlName } from '../../common/host-names.ts';
import { parseTmpfs } from '../../common/tmpfs.ts';
import { tmpfsMount } from './mounts.ts';
import { toSpec, type SpecImage } from './to-spec.ts';

export interface ContainerRunFlags {
  /** -p and -P: published on the default bridge (ops/run-network.ts). */
  readonly publish?: readonly string[];
  readonly publishAll?: boolean;
  readonly env: readonly string[];
  readonly volume: readonly string[];
  readonly tmpfs: readonly string[];
  readonly workdir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly memory?: string;
  readonly cpus?: string;
  readonly pidsLimit?: string;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly readOnly?: boolean;
  readonly privileged?: boolean;
  readonly init?: boolean;
  readonly tty?: boolean;
  readonly interactive?: boolean;
  readonly stopSignal?: string;
  readonly securityOpt?: readonly string[];
  readonly ulimit?: readonly string[];
  /** --sysctl K=V: the runtime refuses one its namespaces do not hold. */
  readonly sysctl?: readonly string[];
  readonly network?: string;
  readonly pid?: string;
  readonly ipc?: string;
  readonly uts?: string;
}

export function parseBytes(text: string): number {
  const n = parseSize(text);
  if (n === undefined) throw new UsageError(`invalid size ${text} (use e.g. 512m, 1g)`);
  return n;
}

function parseVolume(v: string): MountSpec {
  const [source, target, mode, ...rest] = v.split(':');
  if (!source || !target || rest.length > 0 || (mode !== undefined && !/^(ro|rw)$/.test(mode)))
    throw new UsageError(`invalid volume ${v} (use SRC:DST[:ro])`);
  if (!source.startsWith('/'))
    throw new UsageError(`volume ${v}: source must be an absolute path (named volumes need compose)`);
  return { type: 'bind', source, target, readOnly: mode === 'ro' };
}

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: invalid value ${text}`);
  return n;
}

/** -e K=V, or -e K taking the value from our environment (as compose reads `environment: [K]`). */
function environmentOf(flags: readonly string[]): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  for (const kv of flags) {
    const i = kv.indexOf('=');
    if (i >= 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    else if (process.env[kv] !== undefined) env[kv] = process.env[kv]!;
  }
  return env;
}

/** --ulimit NAME=SOFT[:HARD], as Docker (-1 = unlimited). */
function ulimitsOf(values: readonly string[]): Record<string, { soft: number; hard: number }> {
  const out: Record<string, { soft: number; hard: number }> = {};
  for (const v of values) {
    const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
    if (!m) throw new UsageError(`invalid ulimit ${v} (use NAME=SOFT[:HARD])`);
    out[m[1]!] = { soft: Number(m[2]), hard: m[3] !== undefined ? Number(m[3]) : Number(m[2]) };
  }
  return out;
}

/** --sysctl K=V, as compose's `sysctls`. */
function sysctlsOf(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0 || !isSysctlName(v.slice(0, i)) || hasControlChar(v, true))
      throw new UsageError(`invalid sysctl ${v} (use NAME=VALUE, e.g. net.ipv4.ip_forward=1)`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** The flags as the compose service they mean; what compose has no field for is left to lowLevel(). */
export function serviceOfFlags(name: string, command: readonly string[], f: ContainerRunFlags): ServiceConfig {
  const memory = f.memory !== undefined ? parseBytes(f.memory) : undefined;
  const cpus = positive('--cpus', f.cpus);
  const pids = positive('--pids-limit', f.pidsLimit);
  const limits = {
    ...(memory !== undefined ? { memory } : {}),
    ...(cpus !== undefined ? { cpus } : {}),
    ...(pids !== undefined ? { pids } : {}),
  };
  const ulimits = ulimitsOf(f.ulimit ?? []);
  const sysctls = sysctlsOf(f.sysctl ?? []);
  return {
    name,
    container_names: [name],
    environment: environmentOf(f.env),
    ports: [],
    volumes: [],
    depends_on: {},
    // Flags name no other service or container (--network/--pid/--ipc are namespaceOptions').
    refs: {
      tmpfs: f.tmpfs.map((t) => parseTmpfs(t, (why) => new UsageError(`--tmpfs ${t}: ${why}`))),
      volumes_from: [],
      links: [],
    },
    ...(command.length > 0 ? { command } : {}),
    ...(f.tmpfs.length > 0 ? { tmpfs: f.tmpfs } : {}),
    ...(f.workdir ? { working_dir: f.workdir } : {}),
    ...(f.user ? { user: f.user } : {}),
    ...(f.hostname ? { hostname: f.hostname } : {}),
    ...(Object.keys(limits).length > 0 ? { deploy: { resources: { limits } } } : {}),
    cap_add: f.capAdd,
    cap_drop: f.capDrop,
    ...(Object.keys(ulimits).length > 0 ? { ulimits } : {}),
    ...(Object.keys(sysctls).length > 0 ? { sysctls } : {}),
    ...(f.readOnly ? { read_only: true } : {}),
    ...(f.privileged ? { privileged: true } : {}),
    ...(f.init ? { init: true } : {}),
    ...(f.tty ? { tty: true } : {}),
    ...(f.interactive ? { stdin_open: true } : {}),
    ...(f.stopSignal ? { stop_signal: f.stopSignal } : {}),
  };
}

/** --network none|host|/path/to/netns, --pid/--ipc/--uts host|/proc/PID/ns/…: join or share; default fresh. */
function namespaceOptions(f: ContainerRunFlags): NonNullable<ContainerSpec['namespaces']> {
  const ns: { net?: string; pid?: string; ipc?: string; uts?: string } = {};
  const pick = (flag: string, v: string | undefined): string | undefined => {
    if (v === undefined || v === 'private' || (flag === 'network' && (v === 'none' || v === 'bridge')))
      return undefined;
    if (v === 'host' || v.startsWith('/')) return v;
    throw new UsageError(`--${flag} ${v}: use host or a namespace path${flag === 'network' ? ' (or none)' : ''}`);
  };
  for (const [key, flag, v] of [
    ['net', 'network', f.network],
    ['pid', 'pid', f.pid],
    ['ipc', 'ipc', f.ipc],
    ['uts', 'uts', f.uts],
  ] as const) {
    const chosen = pick(flag, v);
    if (chosen) ns[key] = chosen;
  }
  return ns;
}

/** A Docker seccomp profile file, read and checked now so a bad one fails before anything starts. */
function seccompFile(path: string): SeccompSetting {
  let profile: string;
  try {
    profile = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--security-opt seccomp=${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  parseDockerProfile(profile, path);
  return { profile, source: path };
}

/** --security-opt: no-new-privileges[:true|false], seccomp=unconfined and seccomp=PROFILE.json, as Docker. */
function securityOptions(opts: readonly string[]): { noNewPrivileges?: boolean; seccomp?: SeccompSetting } {
  const out: { noNewPrivileges?: boolean; seccomp?: SeccompSetting } = {};
  for (const o of opts) {
    const seccomp = /^seccomp[=:](.+)$/.exec(o)?.[1];
    if (/^no-new-privileges(:true)?$/.test(o)) out.noNewPrivileges = true;
    else if (o === 'no-new-privileges:false') out.noNewPrivileges = false;
    else if (seccomp === 'unconfined') out.seccomp = 'unconfined';
    else if (seccomp !== undefined) out.seccomp = seccompFile(seccomp);
    else throw new UsageError(`--security-opt ${o}: unsupported (no-new-privileges, seccomp=unconfined|PROFILE.json)`);
  }
  return out;
}

/** `home`: the user's home from the image's passwd (runtime userHome). */
export function containerRunSpec(
  name: string,
  image: SpecImage,
  command: readonly string[],
  f: ContainerRunFlags,
  home = '/',
): ContainerSpec {
  const svc = serviceOfFlags(name, command, f);
  const volumes = f.volume.map(parseVolume);
  const tmpfs = svc.refs.tmpfs.map(tmpfsMount);
  let spec: ContainerSpec;
  try {
    spec = toSpec({ svc, image, home, name, mounts: [...volumes, ...tmpfs], net: { dnsServers: [] }, labels: {} });
  } catch (e) {
    if (/no command/.test((e as Error).message)) throw new UsageError('no command given and the image has none');
    throw e;
  }
  const ns = namespaceOptions(f);
  return {
    ...spec,
    process: { ...spec.process, capAdd: f.capAdd, capDrop: f.capDrop, ...securityOptions(f.securityOpt ?? []) },
    ...(Object.keys(ns).length > 0 ? { namespaces: { ...spec.namespaces, ...ns } } : {}),
  };
}
