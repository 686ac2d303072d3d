// `gantry image load [-i FILE|-]` (stdin without -i, as docker load), `save -o FILE REF...`,
// `import TARBALL|- REF [-c INSTRUCTION]... [-m MESSAGE]`.
import type { Command } from 'commander';
import { UsageError } from '../../../common/errors.ts';
import { runCommand } from '../../run-command.ts';
import { imageStore } from './store.ts';
import { collect } from '../container/open-runtime.ts';
import type { ArchiveSource } from '../../../engine/index.ts';

/** A file, or `-`: stdin, which must not be a terminal (an archive is never typed). */
function archiveSource(command: string, file: string | undefined): ArchiveSource {
  if (file !== undefined && file !== '-') return file;
  if (process.stdin.isTTY)
    throw new UsageError(`image ${command}: no archive on stdin (it is a terminal): pipe one in or name a file`);
  return { name: 'stdin', data: process.stdin as AsyncIterable<Buffer> };
}

export function registerImageArchive(image: Command): void {
  image
    .command('load')
    .description('load images from a docker save or OCI archive (plain or gzip), a file or stdin')
    .option('-i, --input <file>', 'archive to read (default: stdin)')
    .option('-q, --quiet', 'print nothing but errors')
    .action(
      runCommand(async (_ctx, opts: { input?: string; quiet?: boolean }) => {
        const source = archiveSource('load', opts.input);
        const familiarName = await (await import('../../../engine/index.ts')).familiarImageName();
        for (const img of await (await imageStore()).load(source)) {
          if (opts.quiet) continue;
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
    .description('make a one-layer image from a rootfs tarball (- for stdin)')
    .option(
      '-c, --change <instruction>',
      'Dockerfile instruction to apply to the image config (repeatable)',
      collect,
      [],
    )
    .option('-m, --message <text>', 'commit message of the image history')
    .action(
      runCommand(async (_ctx, tarball: string, ref: string, opts: { change: string[]; message?: string }) => {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(tarball))
          throw new UsageError(`image import ${tarball}: URL sources are not supported (download the file first)`);
        const config = await (await import('../../../engine/index.ts')).importChanges(opts.change);
        const source = archiveSource('import', tarball);
        const img = await (
          await imageStore()
        ).importRootfs(source, ref, {
          config,
          ...(opts.message !== undefined ? { message: opts.message } : {}),
        });
        process.stdout.write(`${img.id}\n`);
      }),
    );
}
