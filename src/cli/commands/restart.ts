// `gantry restart [SERVICE...]`: stop (grace period -t) then start the services named and, unless
// --no-deps, those that depend on them with `restart: true` (never their dependencies, as Compose);
// the supervisor adopts the new run (health, DNS) and the restart policy applies again.
import type { Command } from 'commander';
import { addVerbOptions, serviceAction } from './service-action.ts';

export function registerRestart(program: Command): void {
  const cmd = program
    .command('restart')
    .description('restart service containers')
    .argument('[service...]', 'only these services');
  cmd
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds')
    .option('--no-deps', "don't restart dependent services");
  addVerbOptions(cmd).action(
    serviceAction(cmd, (h, req, f: { deps: boolean }) => h.restart({ ...req, noDeps: !f.deps }), { live: true }),
  );
}
