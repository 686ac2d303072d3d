// Progress of up/down: listr2 on a terminal (one task whose output is a line per network, volume
// and container, redrawn as ops finish), else plain lines / JSON / nothing (progress.ts).
import type { EngineEvent, EventSink } from '../../engine/index.ts';
import { checkMode, plainLine, progressSink } from './progress.ts';

export interface EngineRenderer {
  readonly sink: EventSink;
  run<T>(title: string, work: () => Promise<T>): Promise<T>;
}

function useTty(mode: string): boolean {
  // A pty without a width makes listr2 wrap every character: plain lines then.
  const term = process.stdout.isTTY === true && process.stderr.isTTY === true && (process.stdout.columns ?? 0) > 0;
  return mode === 'tty' || (mode === 'auto' && term);
}

function tty(): EngineRenderer {
  const lines = new Map<string, string>();
  const warnings: string[] = [];
  let update: ((text: string) => void) | undefined;
  const redraw = (): void => update?.([...lines.values(), ...warnings].join('\n'));
  const sink = (e: EngineEvent): void => {
    const line = plainLine(e);
    if (line === undefined) return;
    if (e.kind === 'warning') warnings.push(line);
    else lines.set('target' in e ? e.target : e.kind === 'pull' ? e.image : e.service, line.trim());
    redraw();
  };
  return {
    sink,
    async run(title, work) {
      const { Listr } = await import('listr2'); // terminal only: keeps `ps` and plain runs lean
      let result: unknown;
      await new Listr(
        [
          {
            title,
            task: async (_ctx, task): Promise<void> => {
              update = (text) => (task.output = text);
              result = await work();
            },
            rendererOptions: { outputBar: Infinity, persistentOutput: true },
          },
        ],
        { exitOnError: true, rendererOptions: { collapseErrors: false } },
      ).run();
      return result as Awaited<ReturnType<typeof work>>;
    },
  };
}

export function engineRenderer(mode: string = 'auto'): EngineRenderer {
  checkMode(mode);
  return useTty(mode) ? tty() : { sink: progressSink(mode === 'tty' ? 'plain' : mode), run: (_t, work) => work() };
}
