// The live progress view on a terminal, as Compose draws it: a "Running 3/5" head, then one line
// per network, volume, container, image and build step with a spinner while it works, ✔ or ✖ when
// done, its state (Created, Started, Healthy, Exited, Pulled, Built, CACHED, DONE) and its time.
// listr2 draws it. Which resources there are is known only as the engine's events arrive, so each
// line is a listr2 task this view adds and whose state it sets; listr2 runs only the head's task,
// which is the command's work. listr2 is imported here only, and this file only for a terminal.
import { Listr, ListrTaskState, type ListrTaskObject } from 'listr2';
import type { EngineEvent } from '../../engine/index.ts';
import { progressLine, type ProgressLine } from './progress-lines.ts';

type LineTask = ListrTaskObject<Record<string, never>, never, never>;

interface Row {
  line: ProgressLine;
  readonly since: number;
  ms: number | undefined;
  task?: LineTask;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

const STATE: Readonly<Record<ProgressLine['phase'], ListrTaskState>> = {
  active: ListrTaskState.STARTED,
  done: ListrTaskState.COMPLETED,
  failed: ListrTaskState.FAILED,
};

export interface LiveView {
  readonly sink: (e: EngineEvent) => void;
  run<T>(title: string, work: () => Promise<T>): Promise<T>;
}

export function liveView(o: { force: boolean }): LiveView {
  const rows = new Map<string, Row>();
  let listr: Listr<Record<string, never>> | undefined;
  let head: { title: string; task: LineTask | undefined } = { title: '', task: undefined };

  /** Every title again: the subject column is as wide as the widest subject, as Compose aligns it. */
  const retitle = (): void => {
    if (!listr) return;
    const width = Math.max(0, ...[...rows.values()].map((r) => r.line.subject.length));
    const now = Date.now();
    let done = 0;
    for (const r of rows.values()) {
      if (r.line.phase !== 'active') done++;
      const time = secs(r.ms ?? now - r.since);
      const title = `${r.line.subject.padEnd(width)}  ${r.line.status.padEnd(9)} ${time.padStart(6)}`;
      if (!r.task) {
        listr.add({ title, task: () => undefined, rendererOptions: { outputBar: 1, persistentOutput: false } });
        r.task = listr.tasks.at(-1) as unknown as LineTask;
        void r.task.check({});
      }
      if (r.task.title !== title) r.task.title$ = title;
      if (r.task.state !== STATE[r.line.phase]) r.task.state$ = STATE[r.line.phase];
    }
    const headTitle = `${head.title} ${done}/${rows.size}`;
    if (head.task && head.task.title !== headTitle) head.task.title$ = headTitle;
  };

  const sink = (e: EngineEvent): void => {
    if (e.kind === 'warning') return void process.stderr.write(`WARN: ${e.message}\n`); // shown after the view
    if (e.kind === 'build-output') {
      const task = rows.get(`step ${e.service}#${e.step}`)?.task;
      if (task?.state === ListrTaskState.STARTED) task.output$ = e.line;
      return;
    }
    const line = progressLine(e);
    if (!line) return;
    const row = rows.get(line.key) ?? { line, since: Date.now(), ms: undefined };
    rows.set(line.key, row);
    row.line = line;
    // A container's line goes on from Created to Started to Healthy: its time counts from its first state.
    row.ms = line.phase === 'active' ? undefined : Date.now() - row.since;
    retitle();
  };

  return {
    sink,
    async run(title, work) {
      // A box, not a let: TypeScript does not see the head task's callback assign it.
      const box: { outcome?: { ok: true; value: Awaited<ReturnType<typeof work>> } | { ok: false; error: unknown } } =
        {};
      head = { title, task: undefined };
      listr = new Listr<Record<string, never>>(
        [
          {
            title,
            task: async (): Promise<void> => {
              const self = listr!.tasks[0] as unknown as LineTask;
              head.task = self;
              retitle();
              try {
                box.outcome = { ok: true, value: await work() };
              } catch (error) {
                box.outcome = { ok: false, error };
                retitle();
                self.state$ = ListrTaskState.FAILED; // the error itself is printed once, after the view
              }
              retitle();
            },
          },
        ],
        {
          exitOnError: false,
          registerSignalListeners: false, // run-command.ts owns Ctrl-C (cleanup, exit 130)
          forceTTY: o.force,
          fallbackRendererCondition: false,
          silentRendererCondition: false,
          rendererOptions: { collapseErrors: false, removeEmptyLines: true },
        },
      );
      const ticker = setInterval(retitle, 100); // the running lines' times
      try {
        await listr.run();
      } finally {
        clearInterval(ticker);
        listr = undefined;
      }
      const outcome = box.outcome;
      if (!outcome) throw new Error('progress view: the work did not run');
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}
