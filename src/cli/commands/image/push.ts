// `gantry image push [-q] REF`: one line per blob on stderr (pushed or already there), then
// Docker's last line on stdout: `TAG: digest: sha256:… size: N`.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { imageStore } from './store.ts';
import type { PushProgress, PushResult } from '../../../engine/index.ts';

/** Docker's per-blob lines (12 hex digits of the digest), for push and compose push. */
export const pushLine = (e: PushProgress): string | undefined =>
  e.kind === 'blob-exists'
    ? `${e.digest.slice(7, 19)}: Layer already exists`
    : e.kind === 'blob-done'
      ? `${e.digest.slice(7, 19)}: Pushed`
      : undefined;

export const pushedLine = (r: PushResult): string => `${r.tag}: digest: ${r.digest} size: ${r.size}`;

export function registerImagePush(image: Command): void {
  image
    .command('push <ref>')
    .description('push an image to a registry')
    .option('-q, --quiet', 'print only the final digest line', false)
    .action(
      runCommand(async (ctx, ref: string, opts: { quiet: boolean }) => {
        const store = await imageStore();
        const say = (e: PushProgress): void => {
          const line = opts.quiet ? undefined : pushLine(e);
          if (line) process.stderr.write(`${line}\n`);
        };
        const r = await store.push(ref, { signal: ctx.signal, onProgress: say });
        process.stdout.write(`${pushedLine(r)}\n`);
      }),
    );
}
