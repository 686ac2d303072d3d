// Shared by the project commands: load the compose project from the global options, print its
// warnings once, and open the engine handle over it (exec opens its light door with the same
// arguments: openArgs).
import type { Command } from 'commander';
import type { EngineOptions, EventSink, LoadOptions, Project, ProjectHandle } from '../../engine/index.ts';
import { loadOptionsFor } from '../load-options.ts';
import { progressSink } from '../render/progress.ts';

export interface OpenExtra {
  readonly stopTimeoutMs?: number;
  readonly waitTimeoutMs?: number;
  /** Services the command names: a profiled one is enabled by being named, as in Compose. */
  readonly services?: readonly string[];
  /** With `-p NAME` and no compose file in reach, the project as it exists (down, as Compose). */
  readonly byName?: boolean;
  /** The project from the state root's record of its last load while its inputs are unchanged (up). */
  readonly recorded?: boolean;
}

/** The load options and engine options of a project command, from the global options. */
export function openArgs(
  cmd: Command,
  progress?: string | EventSink,
  services?: readonly string[],
): { lo: LoadOptions; options: EngineOptions } {
  const lo = loadOptionsFor(cmd, services ? { enableServices: services } : {});
  return { lo, options: { emit: typeof progress === 'function' ? progress : progressSink(progress) } };
}

/** The project's warnings, once, on stderr. */
export function printWarnings(project: Project): void {
  for (const w of project.warnings) process.stderr.write(`WARN: ${w}\n`);
}

export async function openCliProject(
  cmd: Command,
  progress?: string | EventSink,
  extra: OpenExtra = {},
): Promise<ProjectHandle> {
  const engine = await import('../../engine/index.ts');
  const { services, byName, recorded, ...timeouts } = extra;
  const { lo, options } = openArgs(cmd, progress, services);
  const open = byName ? engine.openProjectOrState : recorded ? engine.openProjectRecorded : engine.openProjectFrom;
  const handle = await open(lo, { ...options, ...timeouts });
  printWarnings(handle.project);
  return handle;
}

export const seconds = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : undefined;
};
