// Short execs whose output is only a tail (health probes) run through one long-lived /bin/sh
// (tagged-spawner.ts) instead of one Node spawn each. Why: the supervisor forked its whole heap for
// every probe; with the test image's 1 s healthcheck a 60-service `up -d` spent ≈ 4.2 s of the
// supervisor's 9.4 s busy in those spawns, on the CPUs the `up` itself needed (issue 20).
// Replies: the shim's report line ("pid N" / "error ..."), "exit CODE" once it exited, then "end"
// once the output's last `cap` bytes (stdout and stderr as one stream, as Docker's health log
// holds them) are in PLAN.out; the caller reads and removes that file.
import { TaggedSpawner } from './tagged-spawner.ts';

// Probes come every interval (1 s in the test image, 30 s by default): a spawner closed after the
// shim spawner's 200 ms would be forked again for nearly every probe of a small project.
const IDLE_CLOSE_MS = 60_000;

const SCRIPT = [
  'shim=$1; cap=$2',
  'while IFS= read -r tag && IFS= read -r plan; do',
  '  { { { "$shim" "$plan" 3 3>&4 2>&1 </dev/null; echo "exit $?" >&4; } | tail -c "$cap" >"$plan.out"',
  '      echo end >&4; } 4>&1 |',
  '    while IFS= read -r l; do printf "%s %s\\n" "$tag" "$l"; done; } &',
  'done',
].join('\n');

export interface SpawnedExec {
  /** The exec'd program's pid (its report), undefined when the shim failed before it ran. */
  readonly pid: number | undefined;
  /** The report's "error ..." text, when setup failed (undefined with no pid: the shim died first). */
  readonly error: string | undefined;
  /** The shim's exit code (the program's; 128+N when killed by signal N), 125 when unknown. */
  readonly exitCode: number;
}

export class ProbeSpawner {
  readonly #spawner: TaggedSpawner;

  constructor(shimPath: string, cap: number) {
    this.#spawner = new TaggedSpawner('gantry-probe-spawner', SCRIPT, [shimPath, String(cap)], IDLE_CLOSE_MS);
  }

  /** Runs the exec plan; onPid is told the program's pid as soon as the shim reports it (for a timeout). */
  async run(plan: string, onPid: (pid: number) => void): Promise<SpawnedExec> {
    let pid: number | undefined;
    let error: string | undefined;
    let exitCode = 125;
    const lines = await this.#spawner.request(plan, (line) => {
      if (!line.startsWith('pid ') || pid !== undefined) return;
      pid = Number(line.slice(4));
      onPid(pid);
    });
    for (const line of lines) {
      if (line.startsWith('exit ')) exitCode = Number(line.slice(5));
      else if (line.startsWith('error ')) error ??= line.slice(6);
    }
    return { pid, error: pid === undefined ? error : undefined, exitCode };
  }
}
