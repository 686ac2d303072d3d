// `gantry doctor`: checks the host (engine/doctor/, behind the engine facade) and prints one line per check or JSON;
// exit 1 when a required check fails. Needs no root, so a user can run it before using sudo.
import type { Command } from 'commander';
import { runCommand } from '../run-command.ts';
import { cliIo } from '../io.ts';
import { UsageError } from '../../common/errors.ts';
import type { DoctorCheck } from '../../engine/index.ts';

function line(c: DoctorCheck): string {
  const state = c.ok ? 'ok' : c.required ? 'missing' : 'warn';
  return `${state.padEnd(8)}${c.name.padEnd(14)}${c.ok ? c.detail : `${c.detail}: ${c.fix}`}\n`;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check that this host can run gantry (kernel, cgroups, tools, shim, root)')
    .option('--format <format>', 'pretty or json', 'pretty')
    .action(
      runCommand(async (_ctx, opts: { format: string }) => {
        if (!['pretty', 'json'].includes(opts.format))
          throw new UsageError(`--format: pretty or json, not ${opts.format}`);
        const { hostProbe, runDoctor } = await import('../../engine/index.ts');
        const report = runDoctor(hostProbe(cliIo().env));
        if (opts.format === 'json') cliIo().stdout(`${JSON.stringify(report, null, 2)}\n`);
        else for (const c of report.checks) cliIo().stdout(line(c));
        return report.ok ? 0 : 1;
      }),
    );
}
