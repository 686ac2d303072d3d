// `gantry create [SERVICE...]`: Compose's `create`, `up --no-start`: images pulled or built,
// networks, volumes and containers made, nothing started.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';
import { progressChoice } from '../progress-choice.ts';
import { checkScale, parseScaleArgs, requireServices } from './scale-args.ts';

interface CreateFlags {
  build?: boolean;
  forceRecreate?: boolean;
  recreate: boolean;
  pull?: string;
  quietPull?: boolean;
  removeOrphans?: boolean;
  scale: string[];
}

export function registerCreate(program: Command): void {
  const cmd = program
    .command('create')
    .description('create containers for the services, without starting them')
    .argument('[service...]', 'services (and their dependencies)');
  cmd
    .option('--build', 'build images before creating containers')
    .option('--force-recreate', 'recreate containers even if unchanged')
    .option('--no-recreate', 'never recreate existing containers')
    .option('--pull <policy>', 'pull images: always, missing, never')
    .option('--quiet-pull', 'pull without printing progress information')
    .option('--remove-orphans', 'remove containers of services not in the project')
    .option(
      '--scale <service=num>',
      'NUM containers of SERVICE (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .action(
      runCommand(async (ctx, services: string[], f: CreateFlags) => {
        if (f.forceRecreate && !f.recreate) throw new UsageError('--force-recreate and --no-recreate are incompatible');
        if (f.pull && !['always', 'missing', 'never'].includes(f.pull))
          throw new UsageError(`--pull: unknown policy ${f.pull}`);
        const scale = parseScaleArgs(f.scale, (w) => `invalid --scale option "${w}": should be SERVICE=NUM`);
        const { engineRenderer } = await import('../render/engine-progress.ts');
        const r = await engineRenderer(progressChoice(cmd, { quietPull: f.quietPull ?? false }));
        const handle = await openCliProject(cmd, r.sink, { services });
        requireServices(handle.project, services);
        checkScale(handle.project, scale);
        await r.run('Running', () =>
          handle.up({
            services,
            forceRecreate: f.forceRecreate ?? false,
            noRecreate: !f.recreate,
            removeOrphans: f.removeOrphans ?? false,
            scale,
            noStart: true,
            ...(f.pull ? { pull: f.pull as 'always' } : {}),
            build: f.build ?? false,
            signal: ctx.signal,
          }),
        );
        return 0;
      }),
    );
}
