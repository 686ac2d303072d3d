// `gantry container run`: create + start a container from an image (a rootfs dir here); in the
// foreground its exit code is ours, with -d it keeps running under its shim. The flags become a
// spec in the engine, by the same rules as a compose service's.
import type { Command } from 'commander';
import type { ContainerRunFlags, ContainerRunRequest } from '../../../engine/exec-run.ts';
import { runCommand } from '../../run-command.ts';
import { collect } from './open-runtime.ts';

interface RunOpts extends ContainerRunFlags {
  readonly rm?: boolean;
  readonly detach?: boolean;
  readonly name?: string;
  readonly rootfs?: string;
}

/** 12 hex digits; Math.random, because loading node:crypto costs more than the whole start of a container. */
function randomId(): string {
  return Array.from({ length: 12 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

/** run --rm: the shim runs `gantry container rm -f ID` itself once the program has exited (-d, or we died). */
function removeAfterExit(id: string) {
  const env: Record<string, string> = {};
  if (process.env['GANTRY_ROOT']) env['GANTRY_ROOT'] = process.env['GANTRY_ROOT'];
  return { argv: [process.execPath, process.argv[1] ?? '', 'container', 'rm', '-f', id], env };
}

export function registerRun(container: Command): void {
  container
    .command('run')
    .description('run a command in a new container')
    .argument('[image]', 'image (here: a root filesystem directory)')
    .argument('[command...]', 'command and arguments')
    .passThroughOptions()
    .option('--rm', 'remove the container when it exits')
    .option('-d, --detach', 'run in the background and print the container id')
    .option('--name <name>', 'container name')
    .option('--rootfs <dir>', 'root filesystem directory (instead of IMAGE)')
    .option('-e, --env <K=V>', 'environment variable (repeatable)', collect, [])
    .option('-v, --volume <SRC:DST[:ro]>', 'bind mount (repeatable)', collect, [])
    .option('--tmpfs <DST[:size=N,mode=M]>', 'tmpfs mount (repeatable)', collect, [])
    .option('-w, --workdir <dir>', 'working directory')
    .option('-u, --user <user>', 'user[:group]')
    .option('--hostname <name>', 'hostname')
    .option('-m, --memory <bytes>', 'memory limit (e.g. 512m)')
    .option('--cpus <n>', 'CPU quota')
    .option('--pids-limit <n>', 'maximum number of processes')
    .option('--cap-add <cap>', 'add a capability (repeatable)', collect, [])
    .option('--cap-drop <cap>', 'drop a capability (repeatable)', collect, [])
    .option('--read-only', 'mount the root filesystem read-only')
    .option('--privileged', 'every capability gantry holds, no seccomp filter, no masked paths, /sys writable')
    .option('--init', 'run an init as PID 1 that reaps zombies and forwards signals')
    .option('--stop-signal <signal>', 'signal that stops the container')
    .option(
      '--security-opt <opt>',
      'no-new-privileges, seccomp=unconfined or seccomp=PROFILE.json (repeatable)',
      collect,
      [],
    )
    .option('--ulimit <name=soft[:hard]>', 'resource limit, e.g. nofile=1024:2048 (repeatable)', collect, [])
    .option(
      '--sysctl <K=V>',
      "a namespaced kernel parameter (net.*, kernel.msg*…) in the container's (repeatable)",
      collect,
      [],
    )
    .option(
      '--network <mode>',
      'bridge (default: the default bridge, with egress), none (loopback only), host, or a netns path',
    )
    .option('-p, --publish <[IP:][HOST:]CTR[/PROTO]>', 'publish a container port on the host (repeatable)', collect, [])
    .option('-P, --publish-all', 'publish every EXPOSEd port of the image on a free host port')
    .option('--pid <mode>', 'host or a pid namespace path (default: its own)')
    .option('--ipc <mode>', 'host or an ipc namespace path (default: its own)')
    .option('--uts <mode>', 'host or a uts namespace path (default: its own)')
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('-i, --interactive', 'keep stdin open')
    .action(
      runCommand(async (ctx, image: string | undefined, command: string[], opts: RunOpts) => {
        const id = opts.name ?? randomId();
        const req: ContainerRunRequest = {
          image: opts.rootfs ?? image ?? '',
          command: opts.rootfs && image ? [image, ...command] : command,
          name: id,
          flags: opts,
          ...(opts.rm ? { rm: true, onExit: removeAfterExit(id) } : {}),
        };
        const containers = await (await import('../../../engine/exec-run.ts')).openContainers();
        if (opts.detach) {
          await containers.runDetached(req);
          process.stdout.write(`${id}\n`);
          return 0;
        }
        try {
          // With --rm the shim removes the container itself if we are killed before it exits.
          const shim = await containers.runAttached(req);
          // Ctrl-C reaches the shim through the terminal; a SIGTERM sent to gantry alone must be passed on.
          const forward = () => {
            if (String(ctx.signal.reason).includes('SIGTERM')) shim.child.kill('SIGTERM');
          };
          if (ctx.signal.aborted) forward();
          else ctx.signal.addEventListener('abort', forward);
          return await shim.exit;
        } catch (err) {
          // A program that cannot be exec'd still has an exit code (127, 126), as in Docker.
          const code = containers.exitCode(id);
          if (code === undefined || code <= 0) throw err;
          process.stderr.write(`${(err as Error).message}\n`);
          return code;
        } finally {
          if (opts.rm) await containers.removeRun(id).catch(() => undefined);
        }
      }),
    );
}
