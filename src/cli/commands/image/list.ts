// `gantry image ls [--format table|json] [-q]`: one row per name (as `docker images`).
import type { Command } from 'commander';
import { UsageError } from '../../../common/errors.ts';
import type { LocalImage } from '../../../engine/index.ts';
import { runCommand } from '../../run-command.ts';
import { formatTable, humanSize } from '../../render/table.ts';
import { imageStore } from './store.ts';

function rows(images: readonly LocalImage[], familiarName: (n: string) => string): string[][] {
  return images.flatMap((img) => {
    const id = img.id.slice(7, 19);
    const names = img.references.length ? img.references : ['<none>:<none>'];
    return names.map((n) => {
      const at = n.indexOf('@');
      const f = familiarName(n);
      const [repo, tag] =
        at >= 0
          ? [familiarName(n.slice(0, at)), '<none>']
          : [f.slice(0, f.lastIndexOf(':')), f.slice(f.lastIndexOf(':') + 1)];
      return [repo, tag, id, img.created ?? '', humanSize(img.size)];
    });
  });
}

export function registerImageList(image: Command): void {
  image
    .command('ls')
    .alias('list')
    .description('list local images')
    .option('--format <format>', 'table or json', 'table')
    .option('-q, --quiet', 'only image IDs', false)
    .action(
      runCommand(async (_ctx, opts: { format: string; quiet: boolean }) => {
        if (opts.format !== 'table' && opts.format !== 'json')
          throw new UsageError(`image ls: unknown --format "${opts.format}" (table or json)`);
        const images = await (await imageStore()).list();
        if (opts.quiet) return void process.stdout.write(images.map((i) => `${i.id.slice(7, 19)}\n`).join(''));
        if (opts.format === 'json') {
          const out = images.map((i) => ({
            Id: i.id,
            RepoTags: i.references.filter((r) => !r.includes('@')),
            RepoDigests: i.references.filter((r) => r.includes('@')),
            Created: i.created ?? '',
            Size: i.size,
          }));
          return void process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        }
        const familiar = await (await import('../../../engine/index.ts')).familiarImageName();
        process.stdout.write(formatTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], rows(images, familiar)));
      }),
    );
}
