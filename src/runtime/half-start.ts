// A start killed after its shim ran the program but before the state recorded the pid leaves a
// "created" container whose program runs: starting it again would run a second copy (in the same
// network namespace: its ports are taken, httpd exits 1) and orphan the first. Ended first here.
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import type { ContainerCgroup } from './cgroups/index.ts';
import type { ContainerPaths } from './state.ts';

/** Pids of shims running this plan (argv: shim PLAN FD). */
function shimsOf(plan: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] === plan) out.push(Number(pid));
    } catch {}
  }
  return out;
}

export async function endHalfStart(cg: ContainerCgroup, paths: ContainerPaths): Promise<void> {
  if ((await cg.pids()).length === 0) return; // the usual case: never started (the shim's first step joins the group)
  await cg.killAll();
  // Its shim records the kill as it exits: wait for that, then drop the record.
  for (const deadline = Date.now() + 10_000; shimsOf(paths.plan).length > 0 && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 20));
  await Promise.all([fs.rm(paths.status, { force: true }), fs.rm(paths.oom, { force: true })]);
}
