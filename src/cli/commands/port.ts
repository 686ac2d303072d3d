// `gantry port SERVICE PRIVATE_PORT`: prints the public `HOST:PORT` of a published port.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';

interface PortFlags {
  protocol: string;
  index: string;
}

export function registerPort(program: Command): void {
  const cmd = program
    .command('port')
    .description('print the public port for a port binding')
    .argument('<service>')
    .argument('<private_port>');
  cmd
    .option('--protocol <protocol>', 'tcp or udp', 'tcp')
    .option('--index <n>', 'index of the container if the service has multiple replicas', '1')
    .action(
      runCommand(async (_ctx, service: string, privatePort: string, f: PortFlags) => {
        if (f.protocol !== 'tcp' && f.protocol !== 'udp')
          throw new UsageError(`--protocol: tcp or udp, not ${f.protocol}`);
        const port = Number(privatePort);
        const index = Number(f.index);
        if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`invalid port: ${privatePort}`);
        if (!Number.isInteger(index) || index < 1) throw new UsageError(`--index: a positive integer, not ${f.index}`);
        const h = await openCliProject(cmd);
        process.stdout.write(`${await h.port(service, port, { protocol: f.protocol, index })}\n`);
        return 0;
      }),
    );
}
