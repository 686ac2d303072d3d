// `gantry container logs [-f]`: the shim's log file, split back into stdout and stderr.
import type { Command } from 'commander';
import { runCommand } from '../../run-command.ts';
import { openRuntime } from './open-runtime.ts';
import { parseLogLine } from '../../../runtime/logs.ts';
import { LogCursor } from '../../../runtime/log-files.ts';

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
        // Through the rotated files too, one chunk at a time (a log may be gigabytes).
        const cursor = new LogCursor(rt.logPath(id));
        let pending = '';
        const drain = async () => {
          for (let chunk = await cursor.read(); chunk; chunk = await cursor.read()) {
            const lines = (pending + chunk.toString()).split('\n');
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
          await cursor.close();
        }
        return 0;
      }),
    );
}
