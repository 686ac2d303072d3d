// Many `ip -n NS -batch -` runs through one small launcher process instead of one Node spawn each.
// Why: libuv forks the whole CLI for every spawn, and that fork's synchronous cost grows with the
// heap (3.4 ms at 47 MB RSS, 7 ms at 1.8 GB; far more under load): a 30-service `up` spent ≈ 3.9 s
// of its profile's 4.2 s of spawn time in the per-container `ip -n` runs (bench/RESULTS.md, issue 20).
// /bin/sh forks each `ip` cheaply. Nothing given is parsed by the shell: the namespace names and
// batch texts reach it as positional parameters, the script is a constant.
import { RuntimeError } from '../common/errors.ts';
import { type Captured, runCaptured } from '../common/run-captured.ts';
import { runNetlink } from './netlink-ops.ts';

export interface IpJob {
  /** A name under /run/netns (what `ip -n` takes). */
  readonly netns: string;
  readonly lines: readonly string[];
}

// $1 is a host batch (may be empty: none), then (namespace, batch) pairs. The host batch runs first
// and alone (the inside ends need its veths): if it fails, `host STATUS` and its stderr are printed
// and nothing else runs. Each namespaced run's stderr, then `=STATUS`, comes back on stdout one line
// at a time prefixed by the job's index (each line is one write, so parallel jobs never interleave
// within a line). No scratch files: a kill -9 of the CLI mid-attach leaves nothing behind in /tmp.
const SCRIPT = [
  'h=$1; shift',
  'if [ -n "$h" ]; then',
  '  e=$(printf "%s" "$h" | ip -batch - 2>&1 >/dev/null) || { c=$?; printf "host %s\\n%s\\n" "$c" "$e"; exit 0; }',
  'fi',
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

export interface HostThenJobs {
  /** The host batch's error; then no job ran (each is undefined). */
  readonly host?: RuntimeError;
  readonly jobs: readonly (RuntimeError | undefined)[];
}

const batchText = (lines: readonly string[]): string => (lines.length === 0 ? '' : lines.join('\n') + '\n');

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
  return jobs.length === 0 ? [] : (await ipHostThenBatches([], jobs)).jobs;
}

/**
 * The host batch (`ip -batch -`), then every job, through one launcher: an attach's veth pairs
 * and their inside ends cost one fork of the CLI instead of two (issue 20). The shim's netlink
 * executor runs them where it knows every line (netlink-ops.ts: no `ip` at all), `/bin/sh` else.
 */
export async function ipHostThenBatches(host: readonly string[], jobs: readonly IpJob[]): Promise<HostThenJobs> {
  const viaNetlink = await runNetlink(
    host,
    jobs.map((j) => ({ netnsPath: `/run/netns/${j.netns}`, lines: j.lines })),
  );
  const args = jobs.flatMap((j) => [j.netns, batchText(j.lines)]);
  const r = viaNetlink ?? (await runCaptured('/bin/sh', ['-c', SCRIPT, 'gantry-ip', batchText(host), ...args]));
  return launcherResult(r, host, jobs);
}

/** A host batch through the netlink executor; false when it cannot run it (then `ip` must). */
export async function netlinkHostBatch(lines: readonly string[]): Promise<boolean> {
  const r = await runNetlink(lines, []);
  if (r === undefined) return false;
  const host = hostBatchError(r, lines);
  if (host !== undefined) throw host;
  return true;
}

/** The error of a host batch the launcher or the executor ran (in `ip`'s words), if it failed. */
export const hostBatchError = (r: Captured, lines: readonly string[]): RuntimeError | undefined =>
  launcherResult(r, lines, []).host;

function launcherResult(r: Captured, host: readonly string[], jobs: readonly IpJob[]): HostThenJobs {
  const hostFailed = /^host (\d+)\n/.exec(r.stdout);
  if (hostFailed !== null && r.exitCode === 0) {
    const err = r.stdout
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const why = err.slice(0, 3).join('; ') || `exit code ${hostFailed[1]}`;
    return { host: new RuntimeError(`network: \`ip -batch -\` failed: ${why}`), jobs: jobs.map(() => undefined) };
  }
  if (r.exitCode !== 0 || r.spawnError !== undefined) {
    const why = (r.spawnError ?? r.stderr.trim()) || `exit code ${r.exitCode}`;
    const e = new RuntimeError(`network: the \`ip -n\` launcher failed: ${why}`);
    return host.length > 0 ? { host: e, jobs: jobs.map(() => undefined) } : { jobs: jobs.map(() => e) };
  }
  const errors = byJob(r.stdout, jobs.length).map(({ lines }, i) => {
    const status = /^=(\d+)$/.exec(lines.at(-1) ?? '')?.[1];
    if (status === '0') return undefined;
    const err = lines.slice(0, status === undefined ? undefined : -1);
    const why = err.slice(0, 3).join('; ') || (status === undefined ? 'no exit status' : `exit code ${status}`);
    return new RuntimeError(`network: \`ip -n ${jobs[i]!.netns} -batch -\` failed: ${why}`);
  });
  return { jobs: errors };
}
