// A snapshot of everything one state root can leave on the host, for leak and crash tests.
// Other suites run at the same time on this machine, so every part is scoped to this root:
// names gantry derives from it (bridges, netns, cgroup suffixes), mounts and processes that
// mention it, and firewall rules naming its bridges. Compare two snapshots with `leaksSince`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bridgeName, chainNames } from '../../src/network/names.ts';
import { cgroupName } from '../../src/runtime/context.ts';
import { netnsNameFor } from '../../src/engine/ops/networking.ts';
import { shortId } from '../../src/common/short-id.ts';
import { stateDirs } from '../../src/common/state-root.ts';
import { NETNS_OWNERS } from '../../src/network/owners.ts';

export interface Scope {
  readonly root: string;
  readonly networkIds: readonly string[]; // "<project>_<net>"
  readonly containers: readonly string[]; // "<project>-<service>-1"
}

export interface HostSnapshot {
  readonly links: readonly string[];
  readonly netns: readonly string[];
  readonly mounts: readonly string[];
  readonly cgroups: readonly string[];
  readonly processes: readonly string[];
  readonly firewall: readonly string[];
  readonly files: readonly string[];
}

const sh = (cmd: string, args: readonly string[]): string => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 }).toString();
  } catch {
    return '';
  }
};

/** Every bridge name this root could give these networks (attempts cover name collisions). */
function bridgesOf(s: Scope): ReadonlySet<string> {
  return new Set(
    s.networkIds.flatMap((id) => Array.from({ length: 16 }, (_, a) => bridgeName(stateDirs(s.root).networks, id, a))),
  );
}

function links(s: Scope, bridges: ReadonlySet<string>, extraVeths: ReadonlySet<string>): string[] {
  const all = JSON.parse(sh('ip', ['-j', 'link', 'show']) || '[]') as { ifname: string; master?: string }[];
  return all
    .filter(
      (l) => bridges.has(l.ifname) || (l.master !== undefined && bridges.has(l.master)) || extraVeths.has(l.ifname),
    )
    .map((l) => `link ${l.ifname}${l.master ? ` master ${l.master}` : ''}`)
    .sort();
}

function netns(s: Scope): string[] {
  const names = new Set(s.containers.map((c) => netnsNameFor(s.root, c)));
  const pool = `gantry-r${shortId(s.root).slice(0, 8)}-pool-`; // the default bridge's (engine/ops/default-bridge.ts)
  const mine = { has: (n: string): boolean => names.has(n) || n.startsWith(pool) };
  const named = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => mine.has(n)) : [];
  // An nsfs mount survives the /run/netns file being unlinked by hand: look for both.
  const nsfs = mountLines().filter((l) => l.includes(' nsfs ') && mine.has(/\/run\/netns\/(\S+) /.exec(l)?.[1] ?? ''));
  const owners = existsSync(NETNS_OWNERS) ? readdirSync(NETNS_OWNERS).filter((n) => mine.has(n)) : [];
  return [
    ...named.map((n) => `netns ${n}`),
    ...nsfs.map((l) => `nsfs ${l.split(' ')[4]}`),
    ...owners.map((n) => `owner record ${n}`),
  ].sort();
}

const mountLines = (): string[] => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);

function cgroups(s: Scope): string[] {
  const suffix = cgroupName(stateDirs(s.root).containers, '');
  // v1 hierarchies and the unified one all sit under /sys/fs/cgroup; gantry nests in <mount>/gantry.
  const found = sh('find', [
    '/sys/fs/cgroup',
    '-maxdepth',
    '4',
    '-type',
    'd',
    '-path',
    '*/gantry/*',
    '-name',
    `*${suffix}`,
  ]);
  return found.split('\n').filter(Boolean).sort();
}

/** Processes whose command line, cwd or environment names the root (supervisors, shims, containers). */
function processes(root: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // reaped soon by its parent
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {}
      if (cmd.includes(root) || env.includes(`GANTRY_ROOT=${root}\0`) || cwd.startsWith(root))
        out.push(`pid ${pid} ${cmd.replaceAll('\0', ' ').trim()}`);
    } catch {}
  }
  return out.sort();
}

/** This test process's descendants (by ppid), whatever they mention: the CLI must leave none. */
function descendants(): string[] {
  const parent = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] !== 'Z') parent.set(Number(pid), Number(f[1]));
    } catch {}
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const cmd = (pid: number): string => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      return '(exited)';
    }
  };
  // tsx starts esbuild's service the first time this process imports a .ts module it has not
  // compiled yet (the engine's lazy imports, run in-process by the Node API tests): the test
  // harness's compiler, kept for the process's life, not something gantry started.
  const harness = (c: string): boolean => /\/@esbuild\/[^/]+\/bin\/esbuild --service=/.test(c);
  return [...parent.keys()]
    .filter(mine)
    .map((pid) => ({ pid, c: cmd(pid) }))
    .filter(({ c }) => !harness(c))
    .map(({ pid, c }) => `child ${pid} ${c}`)
    .sort();
}

function firewall(bridges: ReadonlySet<string>): string[] {
  const ipt = sh('iptables-save', [])
    .split('\n')
    .filter((l) => [...bridges].some((b) => l.includes(b)));
  const tables = new Set([...bridges].map((b) => `table ip ${chainNames(b).nftTable}`));
  const nft = sh('nft', ['list', 'tables'])
    .split('\n')
    .filter((l) => tables.has(l.trim()));
  return [...ipt.map((l) => `iptables ${l}`), ...nft.map((l) => `nft ${l}`)].sort();
}

function files(root: string): string[] {
  const out: string[] = [];
  const mountPoints = new Set(mountLines().map((l) => l.split(' ')[4]));
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      // The event journal outlives every container by design (bounded: rotated at 4 MiB).
      if (dir === root && /^events\.jsonl(\.1)?$/.test(n)) continue;
      out.push(relative(root, p));
      try {
        if (statSync(p).isDirectory() && !mountPoints.has(p)) walk(p); // not into a live rootfs
      } catch {}
    }
  };
  walk(root);
  return out.sort();
}

/** extraVeths: host veths seen while the stack was up (a leaked one would have no master left). */
export function snapshotHost(s: Scope, extraVeths: ReadonlySet<string> = new Set()): HostSnapshot {
  const bridges = bridgesOf(s);
  return {
    links: links(s, bridges, extraVeths),
    netns: netns(s),
    mounts: mountLines()
      .filter((l) => l.includes(s.root))
      .map((l) => `mount ${l.split(' ')[4]}`)
      .sort(),
    cgroups: cgroups(s),
    processes: [...processes(s.root), ...descendants()],
    firewall: firewall(bridges),
    files: files(s.root),
  };
}

/**
 * What a state root keeps by design once made: each area's dir, the forwarding value found
 * (networks/firewall.ts), the compiled default seccomp filters every start shares, one file per
 * policy (runtime/process/seccomp-memo.ts), and the project records exec and down read instead of
 * loading the project again, one file per project and command bundle, rewritten in place, 64 at most
 * (project/recorded-load.ts). sharedFilters and projectRecords list them, so a test can see they do not grow.
 */
export const keptByDesign = (f: string): boolean =>
  /^(containers|networks|projects|volumes|seccomp-filters|project-records)$/.test(f) ||
  f === 'networks/ip_forward.orig' ||
  /^(seccomp-filters|project-records)\/[^/]+$/.test(f);

const listed = (root: string, dir: string): string[] => {
  try {
    return readdirSync(join(root, dir));
  } catch {
    return [];
  }
};

/** The shared seccomp filters of a root (see keptByDesign). */
export const sharedFilters = (root: string): string[] => listed(root, 'seccomp-filters');

/** The project records of a root (see keptByDesign). */
export const projectRecords = (root: string): string[] => listed(root, 'project-records');

/** How `after` differs from `before` ("+" new, "-" gone), one line per thing; empty when equal. */
export function leaksSince(
  before: HostSnapshot,
  after: HostSnapshot,
  ignoreFiles: (f: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  for (const k of Object.keys(before) as (keyof HostSnapshot)[]) {
    const had = new Set(before[k]);
    const has = new Set(after[k]);
    const skip = (x: string) => k === 'files' && ignoreFiles(x);
    for (const x of after[k]) if (!had.has(x) && !skip(x)) out.push(`+${k}: ${x}`);
    for (const x of before[k]) if (!has.has(x) && !skip(x)) out.push(`-${k}: ${x}`);
  }
  return out;
}

/** Host veths of the root's networks right now (read from its records), to check later. */
export function vethsOf(root: string): string[] {
  const dir = stateDirs(root).networks;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        return (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { endpoints: { hostVeth: string }[] }).endpoints.map(
          (e) => e.hostVeth,
        );
      } catch {
        return [];
      }
    });
}
