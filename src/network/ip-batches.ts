// Many `ip -n NS -batch -` runs through one small launcher process instead of one Node spawn each.
// Why: libuv forks the whole CLI for every spawn, and that fork's synchronous cost grows with the
// heap (3.4 ms at 47 MB RSS, 7 ms at 1.8 GB; far more under load): a 30-service `up` spent ≈ 3.9 s
// of its profile's 4.2 s of spawn time in the per-container `ip -n` runs (bench/RESULTS.md, issue 20).
// /bin/sh forks each `ip` cheaply. Nothing given is parsed by the shell: the namespace names and
// batch texts reach it as positional parameters, the script is a constant.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../common/errors.ts';
import { runCaptured } from '../common/run-captured.ts';

export interface IpJob {
  /** A name under /run/netns (what `ip -n` takes). */
  readonly netns: string;
  readonly lines: readonly string[];
}

// $1 is the scratch directory; then (namespace, batch) pairs. Each run's stderr goes to its own
// file, its exit code is printed in job order, one per line.
const SCRIPT = [
  'd=$1; shift; i=0; p=',
  'while [ $# -gt 1 ]; do',
  '  printf "%s" "$2" | ip -n "$1" -batch - 2>"$d/$i" & p="$p $!"; i=$((i + 1)); shift 2',
  'done',
  'for x in $p; do wait "$x"; echo $?; done',
].join('\n');

/** Runs every job (in parallel); the result holds each job's error, or undefined when it succeeded. */
export async function ipBatches(jobs: readonly IpJob[]): Promise<readonly (RuntimeError | undefined)[]> {
  if (jobs.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'gantry-ip-'));
  try {
    const args = jobs.flatMap((j) => [j.netns, j.lines.join('\n') + '\n']);
    const r = await runCaptured('/bin/sh', ['-c', SCRIPT, 'gantry-ip', dir, ...args]);
    const codes = r.stdout.split('\n').filter((l) => l !== '');
    if (r.exitCode !== 0 || r.spawnError !== undefined || codes.length !== jobs.length) {
      const why = (r.spawnError ?? r.stderr.trim()) || `exit code ${r.exitCode}`;
      return jobs.map(() => new RuntimeError(`network: the \`ip -n\` launcher failed: ${why}`));
    }
    return await Promise.all(
      jobs.map(async (j, i) => {
        if (codes[i] === '0') return undefined;
        const err = await readFile(join(dir, String(i)), 'utf8').catch(() => '');
        const why = err.trim().split('\n').slice(0, 3).join('; ') || `exit code ${codes[i]}`;
        return new RuntimeError(`network: \`ip -n ${j.netns} -batch -\` failed: ${why}`);
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
