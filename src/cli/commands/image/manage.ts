// `gantry image tag|rm|prune`: names and garbage collection.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { humanSize } from '../../render/table.ts';
import { imageStore } from './store.ts';

export function registerImageManage(image: Command): void {
  image
    .command('tag <source> <target>')
    .description('give an image another name')
    .action(runCommand(async (_ctx, src: string, dst: string) => (await imageStore()).tag(src, dst)));
  image
    .command('rm <refs...>')
    .alias('remove')
    .description('remove image names (by Id: all its names)')
    .action(
      runCommand(async (_ctx, refs: string[]) => {
        const store = await imageStore();
        for (const r of refs) {
          await store.remove(r);
          process.stdout.write(`Untagged: ${r}\n`);
        }
      }),
    );
  image
    .command('prune')
    .description('remove layers and blobs no image uses')
    .option('--build-cache', 'also remove the build cache (as gantry builder prune)')
    .action(
      runCommand(async (_ctx, o: { buildCache?: boolean }) => {
        if (o.buildCache) return (await import('../builder.ts')).pruneBuildCache();
        const r = await (await imageStore()).prune();
        process.stdout.write(`Deleted layers: ${r.removedLayers}\nTotal reclaimed space: ${humanSize(r.bytes)}\n`);
      }),
    );
}
