// `gantry container stop | kill | rm`: signals to PID 1 (checked against pid reuse), then
// SIGKILL after the grace period; rm removes state, cgroups and the writable layer (engine/commands/containers.ts).
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { openRuntime, parseSignal } from './open-runtime.ts';

export function registerStopKillRm(container: Command): void {
  container
    .command('stop')
    .description('stop containers: stop signal, then SIGKILL after the grace period')
    .argument('<container...>')
    .option('-t, --time <seconds>', 'grace period', '10')
    .option('-s, --signal <signal>', "signal to send first (default: the container's stop signal)")
    .action(
      runCommand(async (_ctx, ids: string[], opts: { time: string; signal?: string }) => {
        const rt = await openRuntime();
        for (const id of ids) {
          await rt.stop(id, {
            timeoutMs: Number(opts.time) * 1000,
            ...(opts.signal ? { signal: parseSignal(opts.signal) } : {}),
          });
          process.stdout.write(`${id}\n`);
        }
        return 0;
      }),
    );
  container
    .command('kill')
    .description("send a signal to containers' PID 1")
    .argument('<container...>')
    .option('-s, --signal <signal>', 'signal', 'KILL')
    .action(
      runCommand(async (_ctx, ids: string[], opts: { signal: string }) => {
        const rt = await openRuntime();
        const sig = parseSignal(opts.signal);
        for (const id of ids) {
          await rt.kill(id, sig);
          process.stdout.write(`${id}\n`);
        }
        return 0;
      }),
    );
  container
    .command('rm')
    .description('remove containers')
    .argument('<container...>')
    .option('-f, --force', 'kill running containers first')
    .action(
      runCommand(async (_ctx, ids: string[], opts: { force?: boolean }) => {
        const rt = await openRuntime();
        for (const id of ids) {
          await rt.remove(id, { force: opts.force === true });
          process.stdout.write(`${id}\n`);
        }
        return 0;
      }),
    );
}
