// The engine verbs watch drives (src/watch): copy changed files into every running replica of a
// service through its root (the in-root layer: temp file renamed in place, links never followed
// out, owned by the container's user, as Compose's sync leaves them), run a command in every
// replica and keep its output (sync+exec), and the .dockerignore rules of a build context.
import { isAbsolute, join } from 'node:path';
import type { Runtime } from '../../runtime/index.ts';
import { RuntimeError } from '../../common/errors.ts';
import { readIn } from '../../common/in-root-fs.ts';
import { syncIn, type SyncRecord } from '../../common/in-root-sync.ts';
import { LABELS } from '../labels.ts';
import { execProcessSpec, type ExecRequest } from './exec.ts';

/** Files for watch's sync into a service's containers. */
export interface SyncRequest {
  readonly service: string;
  /** `from` absent: `to` is removed. Paths in the container are absolute. */
  readonly files: readonly SyncRecord[];
}

/** What a command run by the engine did in one container: exit code and output. */
export interface ExecOutput {
  readonly container: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Rt = Pick<Runtime, 'list' | 'rootPath' | 'spec' | 'exec'>;

async function runningReplicas(rt: Rt, project: string, service: string): Promise<readonly string[]> {
  return (await rt.list())
    .filter((c) => c.labels[LABELS.project] === project && c.labels[LABELS.service] === service)
    .filter((c) => c.labels[LABELS.oneOff] !== 'True' && c.status === 'running')
    .sort((a, b) => Number(a.labels[LABELS.number]) - Number(b.labels[LABELS.number]))
    .map((c) => c.id);
}

// A container's user never changes: resolved once per container id (a recreated one has a new id).
const owners = new Map<string, { uid: number; gid: number }>();

async function ownerOf(rt: Rt, id: string): Promise<{ uid: number; gid: number }> {
  const known = owners.get(id);
  if (known) return known;
  const user = rt.spec(id).process.user;
  let owner = { uid: 0, gid: 0 };
  if (user && /^[0-9]+(:[0-9]+)?$/.test(user)) {
    const [u, g] = user.split(':');
    owner = { uid: Number(u), gid: Number(g ?? 0) };
  } else if (user) {
    const root = rt.rootPath(id);
    const read = (p: string) =>
      readIn({ root, path: p }).then(
        (b) => b.toString('utf8'),
        () => undefined,
      );
    const [{ resolveUser }, passwd, group] = await Promise.all([
      import('../../runtime/index.ts'),
      read('/etc/passwd'),
      read('/etc/group'),
    ]);
    const r = resolveUser(user, passwd, group);
    owner = { uid: r.uid, gid: r.gid };
  }
  owners.set(id, owner);
  return owner;
}

/** Resolves with the number of containers that received the files (0: the service is not running). */
export async function syncIntoService(rt: Rt, project: string, req: SyncRequest): Promise<number> {
  for (const f of req.files)
    if (!isAbsolute(f.to)) throw new RuntimeError(`sync ${req.service}: target ${f.to} is not absolute`);
  const ids = await runningReplicas(rt, project, req.service);
  await Promise.all(
    ids.map(async (id) =>
      syncIn(rt.rootPath(id), req.files, await ownerOf(rt, id)).catch((e: unknown) => {
        throw new RuntimeError(`sync ${req.service}: ${(e as Error).message}`, { cause: e });
      }),
    ),
  );
  return ids.length;
}

/** The command in each running replica, one after the other; their exit codes and output. */
export async function execCollected(rt: Rt, project: string, req: ExecRequest): Promise<readonly ExecOutput[]> {
  const out: ExecOutput[] = [];
  for (const id of await runningReplicas(rt, project, req.service)) {
    const r = await rt.exec(id, execProcessSpec(rt.spec(id).process, req), { maxOutput: 1 << 20 });
    out.push({ container: id, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
  }
  return out;
}

/** `.dockerignore` of a build context as a predicate on paths relative to it (Docker's rules). */
export async function contextIgnore(contextDir: string, dockerfile?: string): Promise<(rel: string) => boolean> {
  const { IgnoreMatcher, loadIgnorePatterns } = await import('../../build/index.ts');
  const df = dockerfile === undefined ? undefined : isAbsolute(dockerfile) ? dockerfile : join(contextDir, dockerfile);
  const m = new IgnoreMatcher((await loadIgnorePatterns(contextDir, df)).patterns);
  return (rel) => m.excludes(rel);
}

/** Patterns in .dockerignore syntax (watch's ignore/include) as a predicate on relative paths. */
export async function patternMatcher(patterns: readonly string[]): Promise<(rel: string) => boolean> {
  const { IgnoreMatcher } = await import('../../build/index.ts');
  const m = new IgnoreMatcher(patterns);
  return (rel) => m.excludes(rel);
}
