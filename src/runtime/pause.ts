// pause / resume through the cgroup freezer. The stored `paused` flag is what `state` reports
// (no cgroup read on every listing); the freezer is the truth the kernel enforces.
import type { RuntimeContext } from './context.ts';
import { deriveState } from './container.ts';
import { readState, writeState } from './state.ts';
import { RuntimeError } from '../common/errors.ts';
import { containerError } from './errors.ts';
import { recordEvent } from './record-event.ts';

export async function pauseContainer(ctx: RuntimeContext, id: string): Promise<void> {
  const { stored, paths } = ctx.load(id);
  const status = deriveState(stored, paths).status;
  if (status === 'paused') throw new RuntimeError(`container ${id}: already paused`);
  if (status !== 'running') throw new RuntimeError(`container ${id}: pause: not running`);
  try {
    await (await ctx.cgroup(id)).freeze();
  } catch (err) {
    throw containerError(id, 'pause', (err as Error).message, err);
  }
  await writeState(paths, { ...(readState(paths) ?? stored), paused: true });
  recordEvent(ctx, id, 'pause');
}

export async function resumeContainer(ctx: RuntimeContext, id: string): Promise<void> {
  const { stored, paths } = ctx.load(id);
  if (deriveState(stored, paths).status !== 'paused') throw new RuntimeError(`container ${id}: unpause: not paused`);
  await thawContainer(ctx, id);
  recordEvent(ctx, id, 'unpause');
}

/** Thaws and clears the flag; stop and delete call it first, since a frozen process takes no signal. */
export async function thawContainer(ctx: RuntimeContext, id: string): Promise<void> {
  const { stored, paths } = ctx.load(id);
  if (!stored.paused) return;
  try {
    await (await ctx.cgroup(id)).thaw();
  } catch (err) {
    throw containerError(id, 'unpause', (err as Error).message, err);
  }
  const { paused: _, ...rest } = readState(paths) ?? stored;
  await writeState(paths, rest);
}
