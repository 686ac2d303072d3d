// `gantry builder prune` (and `image prune --build-cache`): frees the build cache (step index,
// cache mounts, stat cache, the layers only it kept) and says how much went.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { humanSize } from '../render/table.ts';

export async function pruneBuildCache(): Promise<void> {
  const { pruneHostBuildCache } = await import('../../engine/image-build.ts');
  const r = await pruneHostBuildCache();
  process.stdout.write(
    `Deleted build cache entries: ${r.entries}\nDeleted cache mounts: ${r.cacheMounts}\n` +
      `Total reclaimed space: ${humanSize(r.bytes)}\n`,
  );
}

export function registerBuilder(program: Command): void {
  const builder = program.command('builder').description('manage the build cache');
  builder
    .command('prune')
    .description('remove the build cache')
    .option('-a, --all', 'accepted for Docker compatibility (everything is removed)')
    .option('-f, --force', 'do not ask (gantry never asks)')
    .action(runCommand(async () => pruneBuildCache()));
}
