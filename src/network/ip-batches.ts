// Many `ip -n NS -batch -` runs through one small launcher process instead of one Node spawn each.
// Why: libuv forks the whole CLI for every spawn, and that fork's synchronous cost grows with the
// heap (3.4 ms at 47 MB RSS, 7 ms at 1.8 GB; far more under load): a 30-service `up` spent ≈ 3.9 s
// of its profile's 4.2 s of spawn time in the per-container `ip -n` runs (bench/RESULTS.md, issue 20).
// /bin/sh forks each `ip` cheaply. Nothing given is parsed by the shell: the namespace names and
// batch texts reach it as positional parameters, the script is a constant.
import { RuntimeError } from '../common/errors.ts';
import { runCaptured } from '../common/run-captured.ts';

export interface IpJob {
  /** A name under /run/netns (what `ip -n` takes). */
  readonly netns: string;
  readonly lines: readonly string[];
}

// (namespace, batch) pairs. Each run's stderr, then `=STATUS`, comes back on stdout one line at a
// time prefixed by the job's index (each line is one write, so parallel jobs never interleave within
// a line). No scratch files: a kill -9 of the CLI mid-attach leaves nothing behind in /tmp.
const SCRIPT = [
  'i=0',
  'while [ $# -gt 1 ]; do',
  '  { printf "%s" "$2" | ip -n "$1" -batch - 2>&1 >/dev/null; echo "=$?"; } |',
  '    while IFS= read -r l; do printf "%s %s\\n" "$i" "$l"; done &',
  '  i=$((i + 1)); shift 2',
  'done',
  'wait',
].join('\n');

interface JobOutput {
  readonly lines: string[];
}

/** Each job's stderr lines, its last line (`=STATUS`) last. */
function byJob(stdout: string, count: number): JobOutput[] {
  const out = Array.from({ length: count }, () => ({ lines: [] as string[] }));
  for (const line of stdout.split('\n')) {
    const m = /^(\d+) (.*)$/.exec(line);
    const job = m === null ? undefined : out[Number(m[1])];
    if (job !== undefined) job.lines.push(m![2]!);
  }
  return out;
}

/** Runs every job (in parallel); the result holds each job's error, or undefined when it succeeded. */
export async function ipBatches(jobs: readonly IpJob[]): Promise<readonly (RuntimeError | undefined)[]> {
  if (jobs.length === 0) return [];
  const args = jobs.flatMap((j) => [j.netns, j.lines.join('\n') + '\n']);
  const r = await runCaptured('/bin/sh', ['-c', SCRIPT, 'gantry-ip', ...args]);
  if (r.exitCode !== 0 || r.spawnError !== undefined) {
    const why = (r.spawnError ?? r.stderr.trim()) || `exit code ${r.exitCode}`;
    return jobs.map(() => new RuntimeError(`network: the \`ip -n\` launcher failed: ${why}`));
  }
  return byJob(r.stdout, jobs.length).map(({ lines }, i) => {
    const status = /^=(\d+)$/.exec(lines.at(-1) ?? '')?.[1];
    if (status === '0') return undefined;
    const err = lines.slice(0, status === undefined ? undefined : -1);
    const why = err.slice(0, 3).join('; ') || (status === undefined ? 'no exit status' : `exit code ${status}`);
    return new RuntimeError(`network: \`ip -n ${jobs[i]!.netns} -batch -\` failed: ${why}`);
  });
}
