// Every command group gantry offers. One registrar per area keeps this list the only shared edit.
import type { Command } from 'commander';
import { registerVersionCommand } from './version.ts';
import { registerConfigCommand } from './config.ts';
import { registerImageCommands } from './image/index.ts';
import { registerContainerCommands } from './container/index.ts';
import { registerNetworkCommands } from './network.ts';
import { registerUp } from './up.ts';
import { registerDown } from './down.ts';
import { registerPs } from './ps.ts';
import { registerPull } from './pull.ts';
import { registerImages } from './images.ts';
import { registerLogsCommand } from './logs.ts';
import { registerExec } from './exec.ts';
import { registerRun } from './run.ts';

export function registerCommands(program: Command): void {
  registerVersionCommand(program);
  registerConfigCommand(program);
  registerImageCommands(program);
  registerContainerCommands(program);
  registerNetworkCommands(program);
  registerUp(program);
  registerDown(program);
  registerPs(program);
  registerPull(program);
  registerImages(program);
  registerLogsCommand(program);
  registerExec(program);
  registerRun(program);
}
