// Detached shims started through one small long-lived /bin/sh per gantry process (tagged-spawner.ts),
// not one Node spawn each: a 30-service `up -d` made 45 spawns, 30 of them shims, for ≈ 5.7 s of
// synchronous spawn time under load (issue 20, bench/RESULTS.md).
// Replies: "shim PID" (the shim's pid), then what the shim wrote to its report fd ("pid N" /
// "error ..."); "end" once the report pipe closed.
import { TaggedSpawner } from './tagged-spawner.ts';

export interface SpawnedShim {
  /** The shim's pid, undefined when it could not be forked. */
  readonly shimPid: number | undefined;
  /** Its report line ("pid N" / "error ..."), undefined when the report pipe closed without one. */
  readonly report: string | undefined;
}

// The shim's fd 3 is the pipe into the tagging loop; stdio is /dev/null as for a detached spawn.
const SCRIPT = [
  'shim=$1',
  'while IFS= read -r tag && IFS= read -r plan; do',
  '  { "$shim" "$plan" 3 3>&1 >/dev/null 2>&1 </dev/null & echo "shim $!"; } |',
  '    { while IFS= read -r l; do printf "%s %s\\n" "$tag" "$l"; done; printf "%s end\\n" "$tag"; } &',
  'done',
].join('\n');

export class ShimSpawner {
  readonly #spawner: TaggedSpawner;

  constructor(shimPath: string) {
    this.#spawner = new TaggedSpawner('gantry-shim-spawner', SCRIPT, [shimPath]);
  }

  /** Starts the shim on plan; resolves once its report pipe closed (the report read, or none). */
  async start(plan: string): Promise<SpawnedShim> {
    let shimPid: number | undefined;
    let report: string | undefined;
    for (const line of await this.#spawner.request(plan)) {
      if (line.startsWith('shim ')) shimPid = Number(line.slice(5));
      else report ??= line;
    }
    return { shimPid, report };
  }
}
