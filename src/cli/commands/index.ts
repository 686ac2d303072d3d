// Every command group gantry offers. One registrar per area keeps this list the only shared edit.
import type { Command } from 'commander';
import { registerVersionCommand } from './version.ts';
import { registerNetworkCommands } from './network.ts';

export function registerCommands(program: Command): void {
  registerVersionCommand(program);
  registerNetworkCommands(program);
}
