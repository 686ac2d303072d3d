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

// $1 is the scratch directory, $2 a host batch (may be empty: none); then (namespace, batch) pairs.
// The host batch runs first and alone (the inside ends need its veths); if it fails, "host CODE"
// is printed and nothing else runs. Each namespaced run's stderr goes to its own file, its exit
// code is printed in job order, one per line.
const SCRIPT = [
  'd=$1; h=$2; shift 2; i=0; p=',
  'if [ -n "$h" ]; then printf "%s" "$h" | ip -batch - 2>"$d/host" || { echo "host $?"; exit 0; }; fi',
  'while [ $# -gt 1 ]; do',
  '  printf "%s" "$2" | ip -n "$1" -batch - 2>"$d/$i" & p="$p $!"; i=$((i + 1)); shift 2',
  'done',
  'for x in $p; do wait "$x"; echo $?; done',
].join('\n');

export interface HostThenJobs {
  /** The host batch's error; then no job ran (each is undefined). */
  readonly host?: RuntimeError;
  readonly jobs: readonly (RuntimeError | undefined)[];
}

const batchText = (lines: readonly string[]): string => (lines.length === 0 ? '' : lines.join('\n') + '\n');
const firstLines = (text: string): string => text.trim().split('\n').slice(0, 3).join('; ');

/** Runs every job (in parallel); the result holds each job's error, or undefined when it succeeded. */
export async function ipBatches(jobs: readonly IpJob[]): Promise<readonly (RuntimeError | undefined)[]> {
  return jobs.length === 0 ? [] : (await ipHostThenBatches([], jobs)).jobs;
}

/**
 * The host batch (`ip -batch -`), then every job, through one launcher: an attach's veth pairs
 * and their inside ends cost one fork of the CLI instead of two (issue 20).
 */
export async function ipHostThenBatches(host: readonly string[], jobs: readonly IpJob[]): Promise<HostThenJobs> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-ip-'));
  try {
    const args = jobs.flatMap((j) => [j.netns, batchText(j.lines)]);
    const r = await runCaptured('/bin/sh', ['-c', SCRIPT, 'gantry-ip', dir, batchText(host), ...args]);
    const codes = r.stdout.split('\n').filter((l) => l !== '');
    if (codes[0]?.startsWith('host ') && r.exitCode === 0) {
      const err = await readFile(join(dir, 'host'), 'utf8').catch(() => '');
      const why = firstLines(err) || `exit code ${codes[0].slice(5)}`;
      return { host: new RuntimeError(`network: \`ip -batch -\` failed: ${why}`), jobs: jobs.map(() => undefined) };
    }
    if (r.exitCode !== 0 || r.spawnError !== undefined || codes.length !== jobs.length) {
      const why = (r.spawnError ?? r.stderr.trim()) || `exit code ${r.exitCode}`;
      const e = new RuntimeError(`network: the \`ip -n\` launcher failed: ${why}`);
      return host.length > 0 ? { host: e, jobs: jobs.map(() => undefined) } : { jobs: jobs.map(() => e) };
    }
    const errors = await Promise.all(
      jobs.map(async (j, i) => {
        if (codes[i] === '0') return undefined;
        const err = await readFile(join(dir, String(i)), 'utf8').catch(() => '');
        const why = firstLines(err) || `exit code ${codes[i]}`;
        return new RuntimeError(`network: \`ip -n ${j.netns} -batch -\` failed: ${why}`);
      }),
    );
    return { jobs: errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
