// start: one shim that builds the container (made by create.ts) and stays as its supervisor (logs,
// exit status).
import { promises as fs } from 'node:fs';
import { cgroupName, type RuntimeContext } from './context.ts';
import { writeState, type ContainerPaths, type StoredState } from './state.ts';
import { containerError } from './errors.ts';
import { startPlan } from './start-plan.ts';
import { limitsOf, wholeCgroup } from './create.ts';
import { readReport, SHIM_GONE, shimFailure, spawnShim, waitShim, type ShimHandle } from './process/shim.ts';
import { deriveState, processStart } from './container.ts';
import { RuntimeError } from '../common/errors.ts';
import { journalFragment } from './record-event.ts';
import { journalPath } from './journal.ts';
import { endHalfStart } from './half-start.ts';
import { clearVolatileMark } from './rootfs/overlay.ts';

export interface StartOptions {
  /** Foreground: the shim's stdio is ours; the returned child exits with the program's code. */
  readonly attach?: boolean;
  /** A program the shim execs after recording the exit (e.g. the CLI's `rm` for run --rm -d). */
  readonly onExit?: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

/** Everything before the shim: state, cgroup, the plan file. */
async function prepareStart(
  ctx: RuntimeContext,
  id: string,
  o: StartOptions,
): Promise<{ readonly paths: ContainerPaths; readonly stored: StoredState }> {
  const loaded = ctx.load(id);
  const paths = loaded.paths;
  const was = deriveState(loaded.stored, paths).status;
  if (was === 'running' || was === 'paused') throw new RuntimeError(`container ${id}: already ${was}`);
  // An exited container starts again on its writable layer, as `docker start` does.
  const stored: StoredState = { id: loaded.stored.id, created: loaded.stored.created, spec: loaded.stored.spec };
  if (was === 'exited') {
    // 'created' until the new pid is recorded: without its status file the old, dead pid would read as exit -1.
    await writeState(paths, stored);
    await Promise.all([fs.rm(paths.status, { force: true }), fs.rm(paths.oom, { force: true })]);
  }
  const driver = await ctx.driver();
  const cg = driver.forContainer(cgroupName(ctx.containersDir, id));
  try {
    await wholeCgroup(cg, limitsOf(stored.spec), paths); // whole again if a create was killed half-way
  } catch (err) {
    throw containerError(id, 'create cgroup', (err as Error).message, err);
  }
  if (was === 'created') await endHalfStart(cg, paths);
  // Any earlier mount of it (a restart, or a start killed after its mount) left overlayfs's mark.
  if (stored.spec.rootfs.volatile) clearVolatileMark(paths.work);
  let plan: string;
  try {
    // the shim journals start and die itself: in order, even for a program that exits at once
    const journal = [journalPath(ctx.containersDir), journalFragment(id, stored.spec.labels ?? {})] as const;
    plan = startPlan(stored.spec, paths, cg, driver.layout === 'v2', {
      attach: o.attach === true,
      journal,
      ...(o.onExit ? { onExit: o.onExit.argv } : {}),
    });
  } catch (err) {
    throw containerError(id, 'start', (err as Error).message, err);
  }
  await fs.writeFile(paths.plan, plan, { mode: 0o600 });
  return { paths, stored };
}

/** The pid the shim reported, recorded with the shim's own (for liveness checks against pid reuse). */
async function recordStarted(paths: ContainerPaths, stored: StoredState, pid: number, shimPid?: number) {
  const pidStart = processStart(pid);
  const shimStart = shimPid ? processStart(shimPid) : undefined;
  await writeState(paths, {
    ...stored,
    pid,
    ...(pidStart ? { pidStart } : {}),
    ...(shimPid && shimStart ? { shimPid, shimStart } : {}),
    started: new Date().toISOString(),
  });
}

export async function startContainer(ctx: RuntimeContext, id: string, o: StartOptions = {}): Promise<ShimHandle> {
  const { paths, stored } = await prepareStart(ctx, id, o);
  const shim = spawnShim(ctx.host, paths.plan, o.attach ? 'inherit' : 'ignore', !o.attach, o.onExit?.env);
  const child = shim.child;
  const report = await readReport(child);
  if ('error' in report) {
    const code = await waitShim(shim); // its status file holds the exit code (127: not found, 126: not executable)
    await writeState(paths, { ...stored, pid: -1, started: new Date().toISOString() });
    throw containerError(id, 'start', shimFailure(shim, report.error, code, `${ctx.host.shimPath} ${paths.plan}`));
  }
  await recordStarted(paths, stored, report.pid, child.pid);
  return shim;
}

/**
 * A detached start whose caller needs no handle on the shim (up): through the host's spawner when
 * it has one (see process/shim-spawner.ts), else as startContainer.
 */
export async function startContainerDetached(
  ctx: RuntimeContext,
  id: string,
): Promise<Readonly<Record<string, string>>> {
  const startShim = ctx.host.startShim;
  if (startShim === undefined) {
    await startContainer(ctx, id);
    return ctx.load(id).stored.spec.labels ?? {};
  }
  const { paths, stored } = await prepareStart(ctx, id, {});
  const r = await startShim(paths.plan).catch((e: unknown) => ({ shimPid: undefined, report: `error ${e}` }));
  const report = r.report?.startsWith('pid ') ? Number(r.report.slice(4)) : undefined;
  if (report !== undefined && Number.isInteger(report) && report > 0) {
    await recordStarted(paths, stored, report, r.shimPid);
    return stored.spec.labels ?? {};
  }
  // The shim is gone or going: its status file holds the exit code (127: not found, 126: not executable).
  await waitGone(r.shimPid);
  await writeState(paths, { ...stored, pid: -1, started: new Date().toISOString() });
  const why = r.report?.startsWith('error ') ? r.report.slice(6) : undefined;
  const rerun = `${ctx.host.shimPath} ${paths.plan}`;
  throw containerError(id, 'start', why ?? `${SHIM_GONE} (run it by hand: ${rerun})`);
}

/** Waits (a few seconds at most) for a process that is not our child to exit. */
async function waitGone(pid: number | undefined): Promise<void> {
  for (let i = 0; pid !== undefined && i < 200 && processStart(pid) !== undefined; i++)
    await new Promise((r) => setTimeout(r, 10));
}
