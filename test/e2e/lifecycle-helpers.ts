// Shared by the lifecycle e2e files: ps rows, a container's stored state and the supervisor's
// restart count, all read as a user or the host would see them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eRoot } from '../helpers/engine-e2e.ts';

export const IMG = 'gantry-test/busybox:latest';
export const uniq = (tag: string): string => `e2e${process.pid}${tag}`;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface PsRow {
  Name: string;
  Service: string;
  State: string;
  Status: string;
  Health: string;
  ExitCode: number;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[];
}

export async function psAll(e: E2eRoot, dir: string): Promise<PsRow[]> {
  const r = await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir });
  if (r.exitCode !== 0) throw new Error(`ps: ${r.stderr}`);
  return JSON.parse(r.stdout) as PsRow[];
}

export async function stateOf(e: E2eRoot, dir: string, service: string): Promise<string | undefined> {
  return (await psAll(e, dir)).find((r) => r.Service === service)?.State;
}

/** Polls until the service's container is in `state` (or the bound passes). */
export async function until(
  e: E2eRoot,
  dir: string,
  service: string,
  state: string,
  ms = 20_000,
): Promise<string | undefined> {
  const end = Date.now() + ms;
  let s: string | undefined;
  while ((s = await stateOf(e, dir, service)) !== state && Date.now() < end) await sleep(150);
  return s;
}

export function stored(root: string, id: string): { pid?: number; started?: string } {
  return JSON.parse(readFileSync(join(root, 'containers', id, 'state.json'), 'utf8')) as {
    pid?: number;
    started?: string;
  };
}

export function restartsOf(root: string, project: string, id: string): number {
  try {
    return (
      JSON.parse(readFileSync(join(root, 'projects', project, 'health', `${id}.json`), 'utf8')) as {
        restartCount: number;
      }
    ).restartCount;
  } catch {
    return 0;
  }
}
