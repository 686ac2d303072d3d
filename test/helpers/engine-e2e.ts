// E2E helpers for the engine: a temporary GANTRY_ROOT with the busybox test image loaded, the
// built CLI run against it, and a snapshot of what a project left on the host (containers,
// netns, bridges, veths, mounts, cgroups, processes) read from the host itself.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGantry, type CliResult } from './cli.ts';
import { ensureTestImages } from './test-images.ts';

export interface E2eRoot {
  readonly root: string;
  /** input: what the CLI reads on stdin (default: nothing, stdin closed). */
  gantry(args: readonly string[], opts?: { cwd?: string; timeoutMs?: number; input?: string }): Promise<CliResult>;
  /** The environment the CLI runs with (GANTRY_ROOT, HOME, PATH), for tests that start it themselves. */
  readonly env: Readonly<Record<string, string>>;
  project(name: string, files: Record<string, string>): string;
}

/** One root per test file; `after` removes it (after every project in it was taken down). */
export async function e2eRoot(after: (fn: () => Promise<void> | void) => void): Promise<E2eRoot> {
  const root = mkdtempSync(join(tmpdir(), `gantry-e2e-${process.pid}-`));
  const dirs: string[] = [];
  const env = { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', GANTRY_ROOT: root, HOME: root };
  const gantry = (args: readonly string[], opts: { cwd?: string; timeoutMs?: number; input?: string } = {}) =>
    runGantry(args, {
      env,
      cwd: opts.cwd ?? root,
      timeoutMs: opts.timeoutMs ?? 120_000,
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
  after(async () => {
    for (const d of dirs) await gantry(['down', '-v', '--remove-orphans', '-t', '1'], { cwd: d });
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await gantry(['network', 'prune']); // `container run`'s default bridge stays after its containers, as docker0
    rmSync(root, { recursive: true, force: true });
  });
  const images = await ensureTestImages();
  const loaded = await gantry(['image', 'load', '-i', images.dockerArchive]);
  if (loaded.exitCode !== 0) throw new Error(`image load: ${loaded.stderr}`);
  return {
    root,
    gantry,
    env,
    project(name, files) {
      const dir = join(root, 'p', name);
      mkdirSync(dir, { recursive: true });
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
      dirs.push(dir);
      return dir;
    },
  };
}

export interface HostTraces {
  readonly containers: readonly string[];
  readonly netns: readonly string[];
  readonly links: readonly string[]; // bridges and host veths of the project's networks
  readonly mounts: readonly string[];
  readonly cgroups: readonly string[];
  readonly pids: readonly number[];
}

function json<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

interface StateFile {
  pid?: number;
  shimPid?: number;
  spec: { labels?: Record<string, string> };
}
interface NetFile {
  bridge: string;
  endpoints: { hostVeth: string }[];
}

/** cgroup dirs by name; a group removed while find walks makes it exit 1, yet its list stands. */
function findCgroups(pattern: string): string[] {
  let out: string;
  try {
    out = execFileSync('find', ['/sys/fs/cgroup', '-maxdepth', '4', '-name', pattern], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch (e) {
    out = String((e as { stdout?: Buffer }).stdout ?? '');
  }
  return out.split('\n').filter(Boolean);
}

/** What the project's containers and networks are (while up): names read from the state root. */
export function tracesOf(root: string, project: string): HostTraces {
  const cdir = join(root, 'containers');
  const names = existsSync(cdir) ? readdirSync(cdir).filter((n) => n.startsWith(`${project}-`)) : [];
  const states = names.map((n) => json<StateFile>(join(cdir, n, 'state.json'))).filter((s) => s !== undefined);
  const ndir = join(root, 'networks');
  const nets = existsSync(ndir)
    ? readdirSync(ndir)
        .filter((f) => f.startsWith(`${project}_`) && f.endsWith('.json'))
        .map((f) => json<NetFile>(join(ndir, f))!)
    : [];
  return {
    containers: names,
    netns: states.map((s) => s.spec.labels?.['io.gantry.netns']).filter((x): x is string => x !== undefined),
    links: nets.flatMap((n) => [n.bridge, ...n.endpoints.map((e) => e.hostVeth)]),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(cdir) && names.some((n) => l.includes(n))),
    cgroups: names.flatMap((n) => findCgroups(`${n}.*`)),
    pids: states.flatMap((s) => [s.pid, s.shimPid]).filter((p): p is number => p !== undefined),
  };
}

/** Which of the traces still exist on the host (checked from the host, not from gantry's files). */
export function stillThere(t: HostTraces, root: string): string[] {
  const left: string[] = [];
  for (const c of t.containers) if (existsSync(join(root, 'containers', c))) left.push(`container ${c}`);
  for (const n of t.netns) if (existsSync(`/run/netns/${n}`)) left.push(`netns ${n}`);
  for (const l of t.links) if (existsSync(`/sys/class/net/${l}`)) left.push(`link ${l}`);
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  for (const c of t.containers) if (mountinfo.includes(join(root, 'containers', c))) left.push(`mount of ${c}`);
  for (const g of t.cgroups) if (existsSync(g)) left.push(`cgroup ${g}`);
  for (const p of t.pids)
    if (existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z '))
      left.push(`process ${p}`);
  return left;
}
