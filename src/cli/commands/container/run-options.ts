// `container run` flags → the runtime's ContainerSpec, the way Docker fills in what the image
// and flags leave open (PATH, HOSTNAME, HOME, TERM). Pure, so it is unit-tested.
import { parseBytes as parseSize } from '../../../common/bytes.ts';
import { readFileSync } from 'node:fs';
import type { ContainerSpec, MountSpec, SeccompSetting } from '../../../runtime/index.ts';
// The parser alone, not the runtime's facade: config and version must not load the runtime.
import { parseDockerProfile } from '../../../runtime/seccomp/docker-profile.ts';
import type { RunImage } from '../../resolve-run-image.ts';
import { UsageError } from '../../../common/errors.ts';

export interface RunFlags {
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
  readonly network?: string;
  readonly pid?: string;
  readonly ipc?: string;
  readonly uts?: string;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function parseBytes(text: string): number {
  const n = parseSize(text);
  if (n === undefined) throw new UsageError(`invalid size ${text} (use e.g. 512m, 1g)`);
  return n;
}

function parseVolume(v: string): MountSpec {
  const [source, target, mode, ...rest] = v.split(':');
  if (!source || !target || rest.length > 0 || (mode !== undefined && !/^(ro|rw)$/.test(mode)))
    throw new UsageError(`invalid volume ${v} (use SRC:DST[:ro])`);
  if (!source.startsWith('/')) throw new UsageError(`volume ${v}: source must be an absolute path (named volumes need compose)`);
  return { type: 'bind', source, target, readOnly: mode === 'ro' };
}

function parseTmpfs(v: string): MountSpec {
  const [target = '', opts = ''] = v.split(':');
  let size: number | undefined;
  let mode: number | undefined;
  for (const o of opts.split(',').filter(Boolean)) {
    if (o.startsWith('size=')) size = parseBytes(o.slice(5));
    else if (o.startsWith('mode=')) mode = parseInt(o.slice(5), 8);
    else throw new UsageError(`tmpfs ${v}: unsupported option ${o}`);
  }
  return { type: 'tmpfs', target, ...(size !== undefined ? { size } : {}), ...(mode !== undefined ? { mode } : {}) };
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: invalid value ${text}`);
  return n;
}

function environment(hostname: string, home: string, image: RunImage, f: RunFlags): string[] {
  const env = new Map<string, string>();
  const put = (kv: string) => {
    const i = kv.indexOf('=');
    if (i < 0) {
      const v = process.env[kv]; // -e NAME takes the value from our environment, as Docker
      if (v !== undefined) env.set(kv, `${kv}=${v}`);
    } else env.set(kv.slice(0, i), kv);
  };
  put(DEFAULT_PATH);
  put(`HOSTNAME=${hostname}`);
  put(`HOME=${home}`);
  if (f.tty) put('TERM=xterm');
  for (const kv of image.config.env ?? []) put(kv);
  for (const kv of f.env) put(kv);
  return [...env.values()];
}

/** --network none|host|/path/to/netns, --pid/--ipc/--uts host|/proc/PID/ns/…: join or share; default fresh. */
function namespaceOptions(f: RunFlags): { namespaces?: { net?: string; pid?: string; ipc?: string; uts?: string } } {
  const ns: { net?: string; pid?: string; ipc?: string; uts?: string } = {};
  const pick = (flag: string, v: string | undefined): string | undefined => {
    if (v === undefined || v === 'private' || (flag === 'network' && (v === 'none' || v === 'bridge'))) return undefined;
    if (v === 'host' || v.startsWith('/')) return v;
    throw new UsageError(`--${flag} ${v}: use host or a namespace path${flag === 'network' ? ' (or none)' : ''}`);
  };
  const net = pick('network', f.network);
  const pid = pick('pid', f.pid);
  const ipc = pick('ipc', f.ipc);
  const uts = pick('uts', f.uts);
  if (net) ns.net = net;
  if (pid) ns.pid = pid;
  if (ipc) ns.ipc = ipc;
  if (uts) ns.uts = uts;
  return Object.keys(ns).length > 0 ? { namespaces: ns } : {};
}

/** --ulimit NAME=SOFT[:HARD], as Docker (-1 = unlimited). */
function parseUlimit(v: string): { type: string; soft: number; hard: number } {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
  if (!m) throw new UsageError(`invalid ulimit ${v} (use NAME=SOFT[:HARD])`);
  const soft = Number(m[2]);
  return { type: m[1]!, soft, hard: m[3] !== undefined ? Number(m[3]) : soft };
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

/** `home`: the user's home from the image's passwd (Docker sets HOME from it unless the env has one). */
export function runSpec(id: string, image: RunImage, command: readonly string[], f: RunFlags, home = '/'): ContainerSpec {
  const hostname = f.hostname ?? id.slice(0, 12);
  const args = [...(image.config.entrypoint ?? []), ...(command.length > 0 ? command : (image.config.cmd ?? []))];
  if (args.length === 0) throw new UsageError('no command given and the image has none');
  const memory = f.memory !== undefined ? parseBytes(f.memory) : undefined;
  const cpus = number('--cpus', f.cpus);
  const pids = number('--pids-limit', f.pidsLimit);
  const user = f.user ?? image.config.user;
  return {
    rootfs: { layers: image.layers, readOnly: f.readOnly === true },
    process: {
      args,
      env: environment(hostname, home, image, f),
      cwd: f.workdir ?? (image.config.workingDir || '/'),
      ...(user ? { user } : {}),
      ...(f.tty ? { tty: true } : {}),
      ...(f.interactive ? { stdin: true } : {}),
      capAdd: f.capAdd,
      capDrop: f.capDrop,
      ...securityOptions(f.securityOpt ?? []),
      ...(f.ulimit && f.ulimit.length > 0 ? { rlimits: f.ulimit.map(parseUlimit) } : {}),
    },
    hostname,
    mounts: [...f.volume.map(parseVolume), ...f.tmpfs.map(parseTmpfs)],
    resources: { ...(memory !== undefined ? { memory } : {}), ...(cpus !== undefined ? { cpus } : {}), ...(pids !== undefined ? { pids } : {}) },
    ...namespaceOptions(f),
    ...(f.init ? { init: true } : {}),
    ...(f.privileged ? { privileged: true } : {}),
    ...(f.stopSignal ?? image.config.stopSignal ? { stopSignal: f.stopSignal ?? image.config.stopSignal } : {}),
  };
}
