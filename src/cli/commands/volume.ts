// `gantry volume ls | create | inspect | rm | prune`: the volumes of this host's state root,
// Docker's volume commands with the local driver.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { stateRoot } from '../../common/state-root.ts';
import { UsageError } from '../../common/errors.ts';
import type { Volumes } from '../../engine/index.ts';

// Loaded when a volume command runs, so other commands do not pay for the modules at start.
async function admin(): Promise<Volumes> {
  return (await import('../../engine/index.ts')).openVolumes(stateRoot());
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function labelsOf(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    out[i < 0 ? l : l.slice(0, i)] = i < 0 ? '' : l.slice(i + 1);
  }
  return out;
}

export function registerVolumeCommands(program: Command): void {
  const vol = program.command('volume').description('manage volumes');
  vol
    .command('ls')
    .description('list volumes')
    .option('-q, --quiet', 'names only')
    .option('--format <format>', 'table or json', 'table')
    .action(
      runCommand(async (_ctx, f: { quiet?: boolean; format: string }) => {
        const a = await admin();
        const rows = await a.rows();
        if (f.format === 'json') return void process.stdout.write(`${JSON.stringify(rows)}\n`);
        if (f.quiet) return void process.stdout.write(rows.map((r) => `${r.name}\n`).join(''));
        const lines = [['DRIVER', 'VOLUME NAME'], ...rows.map((r) => ['local', r.name])];
        process.stdout.write(lines.map(([d, n]) => `${d!.padEnd(10)}${n}\n`).join(''));
      }),
    );
  vol
    .command('create')
    .description('create a volume (local driver)')
    .argument('[name]')
    .option('-l, --label <k=v>', 'label (repeatable)', collect, [])
    .option('-d, --driver <driver>', 'volume driver (local only)', 'local')
    .action(
      runCommand(async (_ctx, name: string | undefined, f: { label: string[]; driver: string }) => {
        if (f.driver !== 'local') throw new UsageError(`--driver ${f.driver}: only the local driver is available`);
        const a = await admin();
        const n = name ?? (await import('node:crypto')).randomBytes(32).toString('hex');
        a.create(n, labelsOf(f.label));
        process.stdout.write(`${n}\n`);
      }),
    );
  vol
    .command('inspect')
    .description('show volumes as JSON')
    .argument('<name...>')
    .action(
      runCommand(async (_ctx, names: string[]) => {
        const a = await admin();
        const rows = await a.rows();
        const missing = names.find((n) => !rows.some((r) => r.name === n));
        if (missing) throw new UsageError(`no such volume: ${missing}`);
        const out = names
          .map((n) => rows.find((r) => r.name === n)!)
          .map((r) => ({
            Name: r.name,
            Driver: 'local',
            Mountpoint: r.mountpoint,
            Labels: r.labels,
            Scope: 'local',
            UsedBy: r.usedBy,
          }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      }),
    );
  vol
    .command('rm')
    .description('remove volumes (refused while a container uses one)')
    .argument('<name...>')
    .option('-f, --force', 'no error for a missing volume')
    .action(
      runCommand(async (_ctx, names: string[], f: { force?: boolean }) => {
        const a = await admin();
        await a.remove(names, f.force === true);
        process.stdout.write(names.map((n) => `${n}\n`).join(''));
      }),
    );
  vol
    .command('prune')
    .description('remove unused anonymous volumes (-a: unused named ones too)')
    .option('-a, --all', 'named volumes too')
    .option('-f, --force', 'do not ask (gantry never asks)')
    .action(
      runCommand(async (_ctx, f: { all?: boolean }) => {
        const a = await admin();
        for (const n of await a.prune(f.all === true)) process.stdout.write(`${n}\n`);
      }),
    );
}
