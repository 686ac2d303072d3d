// cgroup v1 (and the v1 half of hybrid hosts): one directory per controller, gantry/<name> in each.
// On hybrid hosts a controller-less group in the unified hierarchy adds cgroup.kill.
import { basename, dirname, join } from 'node:path';
import type { Host } from '../host.ts';
import type { ResourceSpec } from '../spec.ts';
import type { CgroupStats, ContainerCgroup } from './types.ts';
import { parseBlkio } from './types.ts';
import { listedPids, readNumber, removeDir, waitEmpty, writeUnlessGone } from './common.ts';
import { v1Freeze, v2Freeze } from './freezer.ts';

export function v1Cgroup(
  host: Host,
  mounts: Readonly<Record<string, string>>,
  unified: string | undefined,
  name: string,
): ContainerCgroup {
  const ctrl = [
    ...new Set(
      ['memory', 'cpu', 'cpuacct', 'pids', 'cpuset', 'freezer', 'devices', 'blkio'].flatMap((c) =>
        mounts[c] ? [mounts[c]] : [],
      ),
    ),
  ];
  const dir = (mount: string) => join(mount, 'gantry', name);
  const dirs = [...ctrl.map(dir), ...(unified ? [join(unified, 'gantry', name)] : [])];
  const at = (c: string, file: string) => (mounts[c] ? join(dir(mounts[c]), file) : undefined);
  const write = async (c: string, file: string, value: string | number) => {
    const p = at(c, file);
    if (p && host.exists(p)) await host.writeFile(p, String(value));
  };
  const procs = join(dirs[0] ?? '/nonexistent', 'cgroup.procs');
  return {
    procsFiles: dirs.map((d) => join(d, 'cgroup.procs')),
    // /sys/fs/cgroup/<mount dir name> inside shows the container's own group (devices stays hidden).
    views: dirs.filter((d) => !d.includes('/devices/')).map((d) => ({ name: basename(dirname(dirname(d))), dir: d })),
    oomFile: at('memory', 'memory.oom_control'),
    async create(limits: ResourceSpec) {
      await Promise.all(dirs.map((d) => host.mkdir(d)));
      // independent controllers in parallel; order matters only inside one (deny before allow, mem before memsw)
      await Promise.all([
        mounts['cpuset'] ? initCpuset(host, mounts['cpuset'], name, limits.cpuset) : undefined,
        (async () => {
          // CAP_MKNOD is a Docker default: without this, root in the container could mknod and read a host disk.
          await write('devices', 'devices.deny', 'a');
          const rules = [
            ...DEVICE_RULES.slice(1),
            ...(limits.devices ?? []).map((d) => `${d.type} ${d.major}:${d.minor} ${d.access}`),
          ];
          const allow = at('devices', 'devices.allow');
          if (allow === undefined || !host.exists(allow)) return;
          if (host.writeEach) await host.writeEach(allow, rules);
          else for (const rule of rules) await host.writeFile(allow, rule);
        })(),
        (async () => {
          if (limits.memory !== undefined) await write('memory', 'memory.limit_in_bytes', limits.memory);
          if (limits.memorySwap !== undefined) await write('memory', 'memory.memsw.limit_in_bytes', limits.memorySwap);
          if (limits.memoryReservation !== undefined)
            await write('memory', 'memory.soft_limit_in_bytes', limits.memoryReservation);
        })(),
        (async () => {
          if (limits.cpus !== undefined) {
            await write('cpu', 'cpu.cfs_period_us', 100000);
            await write('cpu', 'cpu.cfs_quota_us', Math.round(limits.cpus * 100000));
          }
          if (limits.cpuShares !== undefined) await write('cpu', 'cpu.shares', limits.cpuShares);
        })(),
        limits.pids !== undefined ? write('pids', 'pids.max', limits.pids) : undefined,
      ]);
    },
    pids: () => listedPids(host, procs),
    async stats(): Promise<CgroupStats> {
      const limit = await readNumber(host, at('memory', 'memory.limit_in_bytes') ?? '');
      const blkio = at('blkio', 'blkio.throttle.io_service_bytes');
      const io = parseBlkio(blkio && host.exists(blkio) ? await host.readFile(blkio) : '');
      return {
        blockReadBytes: io.read,
        blockWriteBytes: io.write,
        memoryBytes: (await readNumber(host, at('memory', 'memory.usage_in_bytes') ?? '')) ?? 0,
        memoryLimitBytes: limit !== undefined && limit < 2 ** 62 ? limit : undefined,
        cpuNanos: (await readNumber(host, join(dir(mounts['cpuacct'] ?? mounts['cpu'] ?? '/'), 'cpuacct.usage'))) ?? 0,
        pids: (await readNumber(host, at('pids', 'pids.current') ?? '')) ?? 0,
      };
    },
    async killAll() {
      const kill = unified ? join(unified, 'gantry', name, 'cgroup.kill') : undefined;
      if (kill && host.exists(kill)) await writeUnlessGone(host, kill, '1');
      else await freezeAndKill(host, at('freezer', 'freezer.state'), procs);
      await waitEmpty(host, procs);
    },
    async remove() {
      await Promise.all(dirs.map((d) => removeDir(host, d)));
    },
    freeze: () =>
      freezeV1(host, at('freezer', 'freezer.state'), unified ? join(unified, 'gantry', name) : undefined, true),
    thaw: () =>
      freezeV1(host, at('freezer', 'freezer.state'), unified ? join(unified, 'gantry', name) : undefined, false),
  };
}

/** Docker's v1 device rules: deny all, then mknod anything, open only the standard nodes and ptys. */
export const DEVICE_RULES: readonly string[] = [
  'a',
  'c *:* m',
  'b *:* m',
  'c 1:3 rwm', // null
  'c 1:5 rwm', // zero
  'c 1:7 rwm', // full
  'c 1:8 rwm', // random
  'c 1:9 rwm', // urandom
  'c 5:0 rwm', // tty
  'c 5:1 rwm', // console
  'c 5:2 rwm', // ptmx
  'c 136:* rwm', // pts
  'c 10:200 rwm', // tun
];

/**
 * A fresh v1 cpuset has empty cpus/mems and refuses members (ENOSPC): each level is filled from its
 * parent. gantry/ gets cgroup.clone_children, so the kernel fills a container's group at its mkdir and
 * a create reads that group's two files and writes nothing: it read 8 files and compared them level by
 * level before (every container of every `up`, `run` and build step; issue 20, bench/RESULTS.md).
 */
async function initCpuset(host: Host, mount: string, name: string, cpus: string | undefined): Promise<void> {
  const top = join(mount, 'gantry');
  const own = join(top, name);
  const read = async (dir: string, f: string) => (await host.readFile(join(dir, f))).trim();
  const [ownCpus, ownMems] = await Promise.all([read(own, 'cpuset.cpus'), read(own, 'cpuset.mems')]);
  if (ownCpus !== '' && ownMems !== '') {
    if (cpus && cpus !== ownCpus) await host.writeFile(join(own, 'cpuset.cpus'), cpus);
    return;
  }
  // gantry/ new, or made by a gantry without clone_children: fill it, then this group.
  for (const f of ['cpuset.cpus', 'cpuset.mems']) {
    let value = await read(top, f);
    if (value === '') await host.writeFile(join(top, f), (value = await read(mount, f)));
    const want = f === 'cpuset.cpus' && cpus ? cpus : value;
    if (want !== (f === 'cpuset.cpus' ? ownCpus : ownMems)) await host.writeFile(join(own, f), want);
  }
  await host.writeFile(join(top, 'cgroup.clone_children'), '1');
}

/** v1 without a unified hierarchy: freeze so nothing forks away, SIGKILL every member, thaw. */
async function freezeAndKill(host: Host, freezer: string | undefined, procs: string): Promise<void> {
  if (freezer) await writeUnlessGone(host, freezer, 'FROZEN');
  for (const pid of await listedPids(host, procs)) host.kill(pid, 'SIGKILL');
  if (freezer) await writeUnlessGone(host, freezer, 'THAWED');
}

/** The v1 freezer controller when mounted; else the unified group's cgroup.freeze (hybrid hosts). */
async function freezeV1(
  host: Host,
  state: string | undefined,
  unifiedDir: string | undefined,
  frozen: boolean,
): Promise<void> {
  if (state && host.exists(state)) return v1Freeze(host, state, frozen);
  if (unifiedDir && host.exists(join(unifiedDir, 'cgroup.freeze'))) return v2Freeze(host, unifiedDir, frozen);
  throw new Error('no cgroup freezer on this host (neither the v1 freezer controller nor cgroup.freeze)');
}
