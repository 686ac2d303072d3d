// `gantry image pull [--platform os/arch[/variant]] [-q] REF`
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { pullRenderer } from '../../render/pull-progress.ts';
import { imageStore } from './store.ts';

export function registerImagePull(image: Command): void {
  image
    .command('pull <ref>')
    .description('pull an image from a registry')
    .option('--platform <platform>', 'os/arch[/variant] (default: this host)')
    .option('-q, --quiet', 'print only the image reference', false)
    .action(
      runCommand(async (ctx, ref: string, opts: { platform?: string; quiet: boolean }) => {
        const r = pullRenderer(ref, { quiet: opts.quiet });
        const store = await imageStore();
        const img = await r.run(() =>
          store.pull(ref, {
            signal: ctx.signal,
            onProgress: r.onProgress,
            ...(opts.platform ? { platform: opts.platform } : {}),
          }),
        );
        process.stdout.write(
          opts.quiet ? `${img.references[0] ?? img.id}\n` : `${img.references[0] ?? ref}: ${img.id}\n`,
        );
      }),
    );
}
