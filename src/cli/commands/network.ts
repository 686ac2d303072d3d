// `gantry network ls | rm NAME… | prune`: the networks gantry made on this host (state root).
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';

/**
 * The networks, after the gc of what killed gantry processes left, so none shows up as real: the
 * namespaces of killed builds first (their veths then go with the gc). The engine is loaded when a
 * network command runs, so other commands do not pay for the module at start.
 */
async function collected() {
  const engine = await import('../../engine/index.ts');
  const builds = await engine.collectKilledHostBuilds();
  const m = await engine.hostNetworks();
  return { m, builds, ...(await m.gc()) };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('   ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function registerNetworkCommands(program: Command): void {
  const net = program.command('network').description('manage networks');
  net
    .command('ls')
    .description('list networks')
    .option('--format <format>', 'table or json', 'table')
    .action(
      runCommand(async (_ctx, opts: { format: string }) => {
        const { m } = await collected();
        const nets = await m.list();
        if (opts.format === 'json') return void process.stdout.write(`${JSON.stringify(nets)}\n`);
        const rows = nets.map((n) => [
          n.id,
          n.bridge,
          n.subnet,
          n.gateway,
          n.internal ? 'yes' : 'no',
          String(n.endpoints.length),
        ]);
        process.stdout.write(table([['NAME', 'BRIDGE', 'SUBNET', 'GATEWAY', 'INTERNAL', 'ENDPOINTS'], ...rows]));
      }),
    );
  net
    .command('rm')
    .description('remove networks (refused while a container uses one)')
    .argument('<name...>')
    .action(
      runCommand(async (_ctx, names: string[]) => {
        const { m } = await collected();
        // A pool's kept namespaces keep its bridge in use: removed first, unless a container holds one.
        await (await import('../../engine/index.ts')).releaseHostPools({ networks: names });
        for (const n of names) {
          await m.removeNetwork(n);
          process.stdout.write(`${n}\n`);
        }
      }),
    );
  net
    .command('prune')
    .description(
      'remove every network no container uses, and what killed builds and deleted state roots left on the host',
    )
    .action(
      runCommand(async () => {
        const { m, builds, swept } = await collected();
        // The pools' kept namespaces keep their bridges in use: removed first, unless a build or container holds one.
        const pool = await (await import('../../engine/index.ts')).releaseHostPools();
        for (const n of await m.prune()) process.stdout.write(`${n}\n`);
        for (const n of builds) process.stdout.write(`${n} (netns of a killed build)\n`);
        for (const n of pool) process.stdout.write(`${n.name} (${n.what})\n`);
        for (const b of swept.bridges) process.stdout.write(`${b} (bridge of a deleted state root)\n`);
        for (const n of swept.netns) process.stdout.write(`${n} (netns of a deleted state root)\n`);
      }),
    );
}
