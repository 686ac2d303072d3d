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
        const rt = await openRuntime();
        const p = rt.spec(id).process;
        const names = new Set(opts.env.map((kv) => kv.split('=')[0]));
        const shim = await rt.execAttached(id, {
          args: command,
          env: [...p.env.filter((kv) => !names.has(kv.split('=')[0])), ...opts.env],
          cwd: opts.workdir ?? p.cwd,
          ...(opts.user ?? p.user ? { user: (opts.user ?? p.user)! } : {}),
          ...(opts.tty ? { tty: true } : {}),
          ...(opts.interactive ? { stdin: true } : {}),
        });
        return await shim.exit;
      }),
    );
}
