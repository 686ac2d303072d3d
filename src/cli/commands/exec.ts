// `gantry exec SERVICE COMMAND...`: a command in the service's running container, on our stdio;
// the command's exit code is ours.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openArgs, printWarnings } from './open-project.ts';
import { collect, envFlags, wantsTty } from './service-flags.ts';

interface ExecFlags {
  detach?: boolean;
  env: string[];
  index?: string;
  privileged?: boolean;
  TTY: boolean;
  user?: string;
  workdir?: string;
  interactive: boolean;
}

export function registerExec(program: Command): void {
  const cmd = program
    .command('exec')
    .description('execute a command in a running container')
    .argument('<service>')
    .argument('<command...>');
  cmd
    .passThroughOptions()
    .option('-d, --detach', 'run the command in the background')
    .option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect, [])
    .option('--index <n>', 'index of the container if the service has several replicas')
    .option('--privileged', 'give extended privileges (all capabilities) to the process')
    .option('-T, --no-TTY', 'disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)')
    .option('-u, --user <user>', 'run the command as this user[:group]')
    .option('-w, --workdir <dir>', 'working directory for the command')
    .option('-i, --interactive', 'keep stdin open (the default)', true)
    .action(
      runCommand(async (_ctx, service: string, command: string[], f: ExecFlags) => {
        const index = f.index === undefined ? undefined : Number(f.index);
        if (index !== undefined && (!Number.isInteger(index) || index < 1))
          throw new UsageError(`--index: a positive integer, not ${f.index}`);
        // The light door (engine/exec-run.ts), not openCliProject's: the whole engine is not loaded.
        const { lo, options } = openArgs(cmd, undefined, [service]);
        const handle = await (await import('../../engine/exec-run.ts')).openExecProject(lo, options);
        printWarnings(handle.project);
        return handle.exec({
          service,
          command,
          env: envFlags(f.env),
          tty: !f.detach && wantsTty(f.TTY),
          interactive: f.interactive,
          detach: f.detach ?? false,
          privileged: f.privileged ?? false,
          ...(index !== undefined ? { index } : {}),
          ...(f.user ? { user: f.user } : {}),
          ...(f.workdir ? { workdir: f.workdir } : {}),
        });
      }),
    );
}
