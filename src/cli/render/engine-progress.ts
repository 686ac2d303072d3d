// Progress of the project verbs (up, down, start/stop/restart, pull, build, ...): the live view on
// a terminal (live-view.ts, loaded only then: listr2 stays off the cold path), else plain lines,
// JSON lines or nothing (progress.ts). --quiet-pull drops the pull lines only.
import type { EngineEvent, EventSink } from '../../engine/index.ts';
import type { ProgressChoice } from '../progress-choice.ts';
import { progressSink } from './progress.ts';

export interface EngineRenderer {
  readonly sink: EventSink;
  /** Runs the command's work under the view; `title` heads the live view ("Running 3/5"). */
  run<T>(title: string, work: () => Promise<T>): Promise<T>;
}

const isPullProgress = (e: EngineEvent): boolean =>
  e.kind === 'pull' || ((e.kind === 'op-start' || e.kind === 'op-done') && e.op === 'pull');

export async function engineRenderer(c: ProgressChoice): Promise<EngineRenderer> {
  const base: EngineRenderer =
    c.display === 'tty'
      ? (await import('./live-view.ts')).liveView({ force: c.forceTty })
      : { sink: progressSink(c.display), run: (_title, work) => work() };
  if (!c.quietPull) return base;
  return { sink: (e) => void (isPullProgress(e) || base.sink(e)), run: (title, work) => base.run(title, work) };
}
