// `gantry container logs [-f]`: the shim's log file, split back into stdout and stderr.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { openRuntime } from './open-runtime.ts';
import { parseLogLine } from '../../../runtime/logs.ts';

export function registerLogs(container: Command): void {
  container
    .command('logs')
    .description('show a container\'s output')
    .argument('<container>')
    .option('-f, --follow', 'keep printing until the container exits')
    .option('--timestamps', 'prefix each line with its time')
    .action(
      runCommand(async (ctx, id: string, opts: { follow?: boolean; timestamps?: boolean }) => {
        const rt = await openRuntime();
        rt.state(id); // fails clearly for an unknown container
        const file = await process.getBuiltinModule('node:fs/promises').open(rt.logPath(id), 'a+');
        let pending = '';
        let offset = 0;
        const drain = async () => {
          const buf = Buffer.alloc(65536);
          for (;;) {
            const { bytesRead } = await file.read(buf, 0, buf.length, offset);
            if (bytesRead === 0) return;
            offset += bytesRead;
            const lines = (pending + buf.subarray(0, bytesRead).toString()).split('\n');
            pending = lines.pop() ?? '';
            for (const l of lines) {
              const p = parseLogLine(l);
              if (!p) continue;
              const out = `${opts.timestamps ? `${p.time} ` : ''}${p.text}${p.full ? '\n' : ''}`;
              (p.stream === 'stdout' ? process.stdout : process.stderr).write(out);
            }
          }
        };
        try {
          await drain();
          while (opts.follow && rt.state(id).status === 'running' && !ctx.signal.aborted) {
            await new Promise((r) => setTimeout(r, 100));
            await drain();
          }
          await drain();
        } finally {
          await file.close();
        }
        return 0;
      }),
    );
}
