// `gantry build [SERVICE...]`: build the project's services that have a `build:` section (step
// lines on stderr; -q prints nothing but errors).
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { UsageError } from '../../common/errors.ts';
import { openCliProject } from './open-project.ts';
import { progressChoice } from '../progress-choice.ts';

interface BuildFlags {
  readonly cache: boolean;
  readonly buildArg: string[];
  readonly quiet?: boolean;
  readonly pull?: boolean;
  readonly withDependencies?: boolean;
}

export function registerBuild(program: Command): void {
  const cmd = program
    .command('build')
    .description("build the services' images")
    .argument('[service...]', 'only these services');
  cmd
    .option('--no-cache', 'do not use the build cache')
    .option('--build-arg <K=V>', 'build-time variable (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('-q, --quiet', 'no progress')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .option('--pull', 'pull every base image again')
    .option('--with-dependencies', 'also build the services the named ones depend on')
    .action(
      runCommand(async (_ctx, services: string[], f: BuildFlags) => {
        const args = new Map<string, string>();
        for (const kv of f.buildArg) {
          const i = kv.indexOf('=');
          if (i <= 0) throw new UsageError(`--build-arg ${kv}: use KEY=VALUE`);
          args.set(kv.slice(0, i), kv.slice(i + 1));
        }
        const { engineRenderer } = await import('../render/engine-progress.ts');
        const r = await engineRenderer(progressChoice(cmd, { quiet: f.quiet ?? false }));
        const handle = await openCliProject(cmd, r.sink);
        const req = {
          noCache: !f.cache,
          buildArgs: args,
          pull: f.pull ?? false,
          withDependencies: f.withDependencies ?? false,
        };
        await r.run('Building', () => handle.build(services, req));
        return 0;
      }),
    );
}
