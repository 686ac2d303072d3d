// `gantry up`: create and start the project's containers (plus what SERVICE... needs); -d
// returns once started (--wait: healthy), attached mode streams their logs until they exit.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject, seconds } from './open-project.ts';
import { useColor } from '../color-choice.ts';
import { progressChoice } from '../progress-choice.ts';
import { addAttachOptions, attachRequest, checkAttachFlags, type AttachFlags } from './up-attach.ts';
import { checkScale, parseScaleArgs, requireServices } from './scale-args.ts';

interface UpFlags extends AttachFlags {
  waitTimeout?: string;
  forceRecreate?: boolean;
  recreate: boolean;
  deps: boolean;
  removeOrphans?: boolean;
  start: boolean;
  pull?: string;
  build?: boolean;
  timeout?: string;
  dryRun?: boolean;
  progress?: string;
  quietPull?: boolean;
  scale: string[];
  watch?: boolean;
}

export function registerUp(program: Command): void {
  const cmd = program
    .command('up')
    .description('create and start containers')
    .argument('[service...]', 'services (and their dependencies)');
  cmd
    .option('-d, --detach', 'run containers in the background')
    .option('--wait', 'wait for services to be running and healthy (implies -d)')
    .option('--wait-timeout <seconds>', 'maximum time to wait')
    .option('--force-recreate', 'recreate containers even if unchanged')
    .option('--no-recreate', 'never recreate existing containers')
    .option('--no-deps', "don't start linked services")
    .option('--remove-orphans', 'remove containers of services not in the project')
    .option('--no-start', "don't start the containers after creating them")
    .option('--pull <policy>', 'pull images: always, missing, never')
    .option('--build', 'build images before starting containers')
    .option('-t, --timeout <seconds>', 'shutdown timeout for recreated containers and Ctrl-C')
    .option(
      '--scale <service=num>',
      'run NUM containers of SERVICE (repeatable; overrides deploy.replicas)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--dry-run', 'print the plan and change nothing')
    .option('-w, --watch', "watch the services' develop.watch rules while attached (see `gantry watch`)")
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .option('--quiet-pull', 'pull without printing progress information');
  addAttachOptions(cmd);
  cmd.action(
    runCommand(async (ctx, services: string[], f: UpFlags) => {
      if (f.forceRecreate && !f.recreate) throw new UsageError('--force-recreate and --no-recreate are incompatible');
      if (f.pull && !['always', 'missing', 'never'].includes(f.pull))
        throw new UsageError(`--pull: unknown policy ${f.pull}`);
      checkAttachFlags(f);
      if (f.watch && (f.detach || f.wait || !f.start || f.dryRun))
        throw new UsageError('--watch cannot be combined with --detach, --wait, --no-start or --dry-run');
      const scale = parseScaleArgs(f.scale, (w) => `invalid --scale option "${w}": should be SERVICE=NUM`);
      const stop = seconds(f.timeout);
      const waitMs = seconds(f.waitTimeout);
      const { engineRenderer } = await import('../render/engine-progress.ts');
      const r = await engineRenderer(
        progressChoice(cmd, { quiet: f.dryRun ?? false, quietPull: f.quietPull ?? false }),
      );
      const handle = await openCliProject(cmd, r.sink, {
        services,
        recorded: true,
        ...(stop !== undefined ? { stopTimeoutMs: stop } : {}),
        ...(waitMs !== undefined ? { waitTimeoutMs: waitMs } : {}),
      });
      requireServices(handle.project, services);
      checkScale(handle.project, scale);
      const attached = attachRequest(handle.project, services, f, ctx.signal, useColor(cmd, f.color));
      const plan = await r.run('Running', () =>
        handle.up({
          services,
          noDeps: !f.deps,
          forceRecreate: f.forceRecreate ?? false,
          noRecreate: !f.recreate,
          removeOrphans: f.removeOrphans ?? false,
          scale,
          noStart: !f.start,
          ...(f.pull ? { pull: f.pull as 'always' } : {}),
          build: f.build ?? false,
          dryRun: f.dryRun ?? false,
          wait: f.wait ?? false,
          signal: ctx.signal,
        }),
      );
      if (f.dryRun) return void process.stdout.write(await (await import('../../engine/index.ts')).planText(plan));
      if (f.detach || f.wait || !f.start) return 0;
      if (!f.watch) return handle.attach(attached);
      const { startWatchLines } = await import('../render/watch-session.ts');
      const session = await startWatchLines(handle, { services, quiet: false, prune: false });
      // Ctrl-C ends watching first, so no sync or restart races the stack's stop.
      ctx.signal.addEventListener('abort', () => void session.stop(), { once: true });
      try {
        return await handle.attach({ ...attached, keepGoing: true });
      } finally {
        await session.stop();
      }
    }),
  );
}
