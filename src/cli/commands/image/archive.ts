// `gantry image load -i FILE`, `save -o FILE REF...`, `import TARBALL REF`.
import type { Command } from 'commander';
import { UsageError } from '../../../common/errors.ts';
import { runCommand } from '../../run-command.ts';
import { imageStore } from './store.ts';

export function registerImageArchive(image: Command): void {
  image
    .command('load')
    .description('load images from a docker save or OCI archive (plain or gzip)')
    .requiredOption('-i, --input <file>', 'archive to read')
    .action(
      runCommand(async (_ctx, opts: { input: string }) => {
        const familiarName = await (await import('../../../engine/index.ts')).familiarImageName();
        for (const img of await (await imageStore()).load(opts.input)) {
          const names = img.references.length ? img.references.map(familiarName) : [img.id];
          for (const n of names) process.stdout.write(`Loaded image${img.references.length ? '' : ' ID'}: ${n}\n`);
        }
      }),
    );
  image
    .command('save <refs...>')
    .description('write images to an archive Docker and podman load')
    .option('-o, --output <file>', 'archive to write')
    .action(
      runCommand(async (_ctx, refs: string[], opts: { output?: string }) => {
        if (!opts.output)
          throw new UsageError('image save: -o FILE is required (gantry never writes archives to a terminal)');
        await (await imageStore()).save(refs, opts.output);
      }),
    );
  image
    .command('import <tarball> <ref>')
    .description('make a one-layer image from a rootfs tarball')
    .action(
      runCommand(async (_ctx, tarball: string, ref: string) => {
        process.stdout.write(`${(await (await imageStore()).importRootfs(tarball, ref)).id}\n`);
      }),
    );
}
