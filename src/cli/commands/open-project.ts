// Shared by the project commands: load the compose project from the global options, print its
// warnings once, and open the engine handle over it.
import type { Command } from 'commander';
import type { EventSink, ProjectHandle } from '../../engine/index.ts';
import { loadOptionsFor } from '../load-options.ts';
import { progressSink } from '../render/progress.ts';

export interface OpenExtra {
  readonly stopTimeoutMs?: number;
  readonly waitTimeoutMs?: number;
  /** Services the command names: a profiled one is enabled by being named, as in Compose. */
  readonly services?: readonly string[];
  /** With `-p NAME` and no compose file in reach, the project as it exists (down, as Compose). */
  readonly byName?: boolean;
}

export async function openCliProject(
  cmd: Command,
  progress?: string | EventSink,
  extra: OpenExtra = {},
): Promise<ProjectHandle> {
  const { openProjectFrom, openProjectOrState } = await import('../../engine/index.ts');
  const { services, byName, ...timeouts } = extra;
  const lo = loadOptionsFor(cmd, services ? { enableServices: services } : {});
  const handle = await (byName ? openProjectOrState : openProjectFrom)(lo, {
    emit: typeof progress === 'function' ? progress : progressSink(progress),
    ...timeouts,
  });
  for (const w of handle.project.warnings) process.stderr.write(`WARN: ${w}\n`);
  return handle;
}

export const seconds = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : undefined;
};
