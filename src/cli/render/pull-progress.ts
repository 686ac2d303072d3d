// Renders a pull's typed progress events: listr2 on a terminal, plain lines otherwise (CI, pipes).
import type { PullProgress } from '../../engine/index.ts';

const short = (d: string): string => d.replace(/^sha256:/, '').slice(0, 12);
const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

export interface PullRenderer {
  readonly onProgress: (e: PullProgress) => void;
  run<T>(work: () => Promise<T>): Promise<T>;
}

function plain(ref: string, out: NodeJS.WritableStream, quiet: boolean): PullRenderer {
  const line = (s: string): void => void (quiet ? undefined : out.write(`${s}\n`));
  return {
    onProgress: (e) => {
      if (e.kind === 'resolved') line(`${ref}: resolved ${e.manifestDigest} (${e.layers} layers)`);
      else if (e.kind === 'layer-exists') line(`${short(e.digest)}: already exists`);
      else if (e.kind === 'layer-start') line(`${short(e.digest)}: pulling ${mb(e.size)}`);
      else if (e.kind === 'layer-retry') line(`${short(e.digest)}: retry ${e.attempt} (${e.reason})`);
      else if (e.kind === 'layer-done') line(`${short(e.digest)}: done`);
    },
    run: (work) => work(),
  };
}

function tty(ref: string): PullRenderer {
  const layers = new Map<string, string>();
  let update: ((text: string) => void) | undefined;
  const redraw = (): void => update?.([...layers].map(([d, s]) => `${short(d)}  ${s}`).join('\n'));
  return {
    onProgress: (e) => {
      if (e.kind === 'layer-start') layers.set(e.digest, `waiting (${mb(e.size)})`);
      else if (e.kind === 'layer-bytes') layers.set(e.digest, `${mb(e.received)} / ${mb(e.size)}`);
      else if (e.kind === 'layer-exists') layers.set(e.digest, 'already exists');
      else if (e.kind === 'layer-done') layers.set(e.digest, 'done');
      else return;
      redraw();
    },
    async run(work) {
      const { Listr } = await import('listr2'); // terminal only; keeps CLI start-up lean
      let result: Awaited<ReturnType<typeof work>> | undefined;
      await new Listr(
        [
          {
            title: `Pulling ${ref}`,
            task: async (_ctx, task): Promise<void> => {
              update = (text) => (task.output = text);
              result = await work();
              task.title = `Pulled ${ref}`;
            },
            rendererOptions: { outputBar: Infinity },
          },
        ],
        { exitOnError: true, rendererOptions: { collapseErrors: false } },
      ).run();
      return result as Awaited<ReturnType<typeof work>>;
    },
  };
}

export function pullRenderer(ref: string, opts: { quiet: boolean }): PullRenderer {
  // listr2 draws on stdout: only when stdout is the terminal too (a redirected stdout keeps just
  // the result). A pty without a width makes listr2 wrap every character: plain lines then.
  const term = process.stdout.isTTY && process.stderr.isTTY && (process.stdout.columns ?? 0) > 0;
  const fancy = term && !opts.quiet;
  return fancy ? tty(ref) : plain(ref, process.stderr, opts.quiet);
}
