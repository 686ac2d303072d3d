// `gantry rm [-f] [-s] [-v] [SERVICE...]`: removes stopped service containers, asking first
// unless -f (the answer is read from stdin; no answer keeps them), as Compose does.
import type { Command } from 'commander';
import { addVerbOptions, serviceAction } from './service-action.ts';

interface RmFlags {
  force?: boolean;
  stop?: boolean;
  volumes?: boolean;
}

async function ask(names: readonly string[]): Promise<boolean> {
  process.stderr.write(`Going to remove ${names.join(', ')}\n`);
  // loaded on use (each command's start pays for what it loads); the bundle's vm.Script has no import()
  const { createInterface } = process.getBuiltinModule('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const closed = new Promise<string>((r) => rl.once('close', () => r('')));
    const answer = await Promise.race([rl.question('? Are you sure? (y/N) '), closed]);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export function registerRm(program: Command): void {
  const cmd = program
    .command('rm')
    .description('remove stopped service containers')
    .argument('[service...]', 'only these services');
  cmd
    .option('-f, --force', "don't ask to confirm removal")
    .option('-s, --stop', 'stop the containers, if required, before removing')
    .option('-v, --volumes', 'remove any anonymous volumes attached to containers');
  addVerbOptions(cmd).action(
    serviceAction(cmd, async (h, req, f: RmFlags) => {
      let asked = false;
      const confirm = (names: readonly string[]) => ((asked = true), f.force ? Promise.resolve(true) : ask(names));
      const plan = await h.rm({ ...req, stop: f.stop ?? false, volumes: f.volumes ?? false, confirm });
      if (!req.dryRun && plan.ops.length === 0 && !asked) process.stderr.write('No stopped containers\n');
      return plan;
    }),
  );
}
