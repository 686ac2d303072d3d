// `gantry container exec`: a new process in a running container, same privileges as its PID 1;
// the container's env, user and working dir unless overridden.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { collect, openRuntime } from './open-runtime.ts';

interface ExecOpts {
  readonly env: string[];
  readonly user?: string;
  readonly workdir?: string;
  readonly tty?: boolean;
  readonly interactive?: boolean;
}

export function registerExec(container: Command): void {
  container
    .command('exec')
    .description('run a command in a running container')
    .argument('<container>')
    .argument('<command...>')
    .passThroughOptions()
    .option('-e, --env <K=V>', 'environment variable (repeatable)', collect, [])
    .option('-u, --user <user>', 'user[:group]')
    .option('-w, --workdir <dir>', 'working directory')
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('-i, --interactive', 'keep stdin open')
    .action(
      runCommand(async (_ctx, id: string, command: string[], opts: ExecOpts) => {
        return (await openRuntime()).exec(id, { command, ...opts });
      }),
    );
}
