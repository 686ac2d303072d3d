// Which namespaces a container gets: new ones by default; a path joins an existing one (the
// network area's /run/netns/X, another container's /proc/PID/ns/…); "host" stays in ours.
import type { ContainerSpec } from './spec.ts';

export const CLONE = {
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
} as const;

export type NsKind = 'net' | 'ipc' | 'uts' | 'pid';
/** undefined: a fresh namespace; 'host': the caller's; else a namespace file to join. */
export type NsChoice = string | undefined;

const FLAG: Readonly<Record<NsKind, number>> = {
  net: CLONE.NEWNET,
  ipc: CLONE.NEWIPC,
  uts: CLONE.NEWUTS,
  pid: CLONE.NEWPID,
};

export function nsChoice(spec: ContainerSpec, kind: NsKind): NsChoice {
  return spec.namespaces?.[kind] ?? (kind === 'net' ? spec.netns : undefined);
}

/** clone(2) flags: a new mount namespace always, the others unless joined or host. */
export function cloneFlags(spec: ContainerSpec): number {
  return (['net', 'ipc', 'uts', 'pid'] as const).reduce<number>(
    (f, k) => (nsChoice(spec, k) === undefined ? f | FLAG[k] : f),
    CLONE.NEWNS,
  );
}

/** Namespace files the container's first process joins (pid is joined by the shim itself). */
export function joinPaths(spec: ContainerSpec): { readonly ns: string[]; readonly pid: string | undefined } {
  const path = (k: NsKind) => {
    const c = nsChoice(spec, k);
    return c !== undefined && c !== 'host' ? c : undefined;
  };
  return { ns: (['ipc', 'uts', 'net'] as const).flatMap((k) => path(k) ?? []), pid: path('pid') };
}

/** Sysctls may only change namespaces that are not the host's (a joined netns is the container's own). */
export function checkSysctls(spec: ContainerSpec): void {
  for (const key of Object.keys(spec.sysctls ?? {})) {
    const kind: NsKind | undefined = key.startsWith('net.')
      ? 'net'
      : /^(kernel\.(msg|sem|shm)|fs\.mqueue\.)/.test(key)
        ? 'ipc'
        : key === 'kernel.domainname' || key === 'kernel.hostname'
          ? 'uts'
          : undefined;
    if (!kind) throw new Error(`sysctl ${key} is not namespaced (it would change the host)`);
    if (nsChoice(spec, kind) === 'host')
      throw new Error(`sysctl ${key} needs the container's own ${kind} namespace, not the host's`);
  }
}

/** Order matters for exec: mnt last, since joining it changes what paths mean. pid is joined by the shim. */
export const EXEC_JOIN = ['ipc', 'uts', 'net', 'mnt'] as const;
