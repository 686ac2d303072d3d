// Runs the built CLI with a terminal as its stdin/stdout: util-linux `script` gives it a pty, as
// an interactive shell would. Output comes back as the terminal showed it (CRLF line ends).
import { execFile } from 'node:child_process';
import { GANTRY_BIN } from './cli.ts';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function gantryOnTty(
  args: readonly string[],
  o: { cwd: string; env: Readonly<Record<string, string>>; timeoutMs?: number; columns?: number },
): Promise<{ exitCode: number; output: string }> {
  const cli = [process.execPath, GANTRY_BIN, ...args].map(quote).join(' ');
  // script's pty has no size when script's own stdin is no terminal: columns gives it one.
  const line = o.columns === undefined ? cli : `stty cols ${o.columns} rows 50 && exec ${cli}`;
  return new Promise((resolve) => {
    // -e: script exits with the command's code; -q: no banner; the typescript file is not wanted.
    execFile(
      'script',
      ['-qec', line, '/dev/null'],
      { cwd: o.cwd, env: { ...o.env }, timeout: o.timeoutMs ?? 120_000 },
      (err, stdout) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ exitCode: code, output: stdout.replace(/\r/g, '') });
      },
    );
  });
}
