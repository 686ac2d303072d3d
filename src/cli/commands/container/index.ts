// `gantry container …`: the low-level, Docker-style commands over the built-in runtime.
import type { Command } from 'commander';
import { registerRun } from './run.ts';
import { registerLs } from './ls.ts';
import { registerLogs } from './logs.ts';
import { registerExec } from './exec.ts';
import { registerStopKillRm } from './stop-kill-rm.ts';
import { registerPort } from './port.ts';

export function registerContainerCommands(program: Command): void {
  const container = program
    .command('container')
    .description('manage single containers (low level)')
    .enablePositionalOptions();
  registerRun(container);
  registerLs(container);
  registerLogs(container);
  registerExec(container);
  registerStopKillRm(container);
  registerPort(container);
}
