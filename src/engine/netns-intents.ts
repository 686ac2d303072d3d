// A record per network namespace the engine makes (`<project dir>/netns/<name>` → container),
// written before `ip netns add` and removed after the namespace is deleted. A gantry killed in
// between leaves a namespace no container points to; the next command (it finds the project
// lock stale) deletes those, so kill -9 at any moment leaves no netns behind.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteNetns } from '../network/index.ts';
import type { Runtime } from '../runtime/index.ts';
import { mkdirPrivate } from '../common/private-files.ts';

const dirOf = (projectDir: string): string => join(projectDir, 'netns');

export function recordNetns(projectDir: string, nsName: string, container: string): void {
  mkdirPrivate(dirOf(projectDir));
  writeFileSync(join(dirOf(projectDir), nsName), container);
}

export function forgetNetns(projectDir: string, nsName: string): void {
  rmSync(join(dirOf(projectDir), nsName), { force: true });
}

/** Namespaces whose container never got a state (killed mid-create): deleted. Returns their names. */
export async function removeStrayNetns(projectDir: string, runtime: Runtime): Promise<readonly string[]> {
  let names: string[];
  try {
    names = readdirSync(dirOf(projectDir));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const ns of names) {
    const container = readFileSync(join(dirOf(projectDir), ns), 'utf8');
    try {
      runtime.state(container);
      continue; // a container holds it: `down` removes both
    } catch {}
    await deleteNetns(ns);
    forgetNetns(projectDir, ns);
    removed.push(ns);
  }
  return removed;
}
