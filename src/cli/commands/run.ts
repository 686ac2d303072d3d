// `gantry run SERVICE [COMMAND...]`: a oneoff container of the service (its dependencies up
// first), attached with its exit code as ours, or with -d its name printed.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';
import { progressChoice } from '../progress-choice.ts';
import { collect } from './service-flags.ts';
import { removeAfterExit, runRequest, type RunFlags } from './run-request.ts';
import { registerRemoveOneOff } from './remove-oneoff.ts';

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a one-off command on a service')
    .argument('<service>')
    .argument('[command...]');
  cmd
    .passThroughOptions()
    .option('-d, --detach', 'run the container in the background and print its name')
    .option('--rm', 'remove the container when it exits')
    .option('--name <name>', 'container name (default <project>-<service>-run-<id>)')
    .option('--entrypoint <cmd>', "override the image's entrypoint")
    .option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect, [])
    .option('-l, --label <K=V>', 'add or override a label (repeatable)', collect, [])
    .option('-v, --volume <SRC:DST[:MODE]>', 'bind mount a volume (repeatable)', collect, [])
    .option('-p, --publish <[IP:]HOST:CONTAINER>', "publish a container's port to the host (repeatable)", collect, [])
    .option('-P, --service-ports', "publish the service's ports too")
    .option('--no-deps', "don't start the linked services")
    .option('-u, --user <user>', 'run as this user[:group]')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-T, --no-TTY', 'disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)')
    .option('-i, --interactive', 'keep stdin open (the default)', true)
    .option('--use-aliases', "use the service's network aliases and name in the networks the container joins")
    .option('--pull <policy>', 'pull the image before running: always, missing, never')
    .option('--build', 'build the image before starting')
    .option('--remove-orphans', 'remove containers of services not in the project (not supported)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .option('--quiet-pull', 'pull without printing progress information')
    .action(
      runCommand(async (ctx, service: string, command: string[], f: RunFlags & { quietPull?: boolean }) => {
        // Plain lines even on a terminal: the container's own terminal follows at once.
        const choice = progressChoice(cmd, { quiet: f.dryRun ?? false, quietPull: f.quietPull ?? false });
        const { engineRenderer } = await import('../render/engine-progress.ts');
        const view = await engineRenderer(choice.display === 'tty' ? { ...choice, display: 'plain' } : choice);
        const handle = await openCliProject(cmd, view.sink, { services: [service] });
        const req = await runRequest(handle.project, service, command, f, ctx.signal);
        const { oneOffName } = await import('../../engine/index.ts');
        const name = req.name ?? oneOffName(handle.project.name, service);
        const r = await handle.run({
          ...req,
          name,
          dryRun: f.dryRun ?? false,
          ...(f.detach && f.rm ? { onExit: removeAfterExit(name) } : {}),
        });
        if (f.dryRun) return void process.stdout.write(await (await import('../../engine/index.ts')).planText(r.plan));
        if (r.error) process.stderr.write(`${r.error}\n`);
        if (f.detach && r.exitCode === undefined) process.stdout.write(`${r.name}\n`);
        return r.exitCode ?? 0;
      }),
    );
  registerRemoveOneOff(program);
}
