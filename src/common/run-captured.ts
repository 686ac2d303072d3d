// Runs a program without a shell, feeding `input` on stdin and capturing its output. Used for
// the many short `ip`/`iptables` runs of up and down instead of execa: loading execa costs a
// cold CLI 100+ ms, and ten parallel execa runs take 3–4× as long as plain spawns (bench/RESULTS.md, perf).
import { spawn } from 'node:child_process';

export interface Captured {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started (ENOENT…). */
  readonly spawnError?: string;
}

export function runCaptured(file: string, args: readonly string[], input = ''): Promise<Captured> {
  return new Promise((resolve) => {
    // No input: stdin is /dev/null, not a pipe a quick program may exit without reading (an EPIPE
    // whose error handling cost ≈ 10 ms of a cold `up`).
    const child = spawn(file, [...args], { stdio: [input === '' ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: string | undefined;
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      spawnError = e.message;
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a program that exits without reading stdin (EPIPE)
      child.stdin.end(input);
    }
    child.on('close', (code, signal) =>
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(spawnError !== undefined ? { spawnError } : {}),
      }),
    );
  });
}
