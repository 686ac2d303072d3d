// The supervisor's state for one project: applies each supervision set (sockets, one watch per
// container), looks at a container again when inotify says its state files changed (state-events.ts)
// and at all of them every LIVENESS_MS, and keeps the DNS records equal to the endpoints of the
// containers running right now.
import { dirname } from 'node:path';
import type { ContainerState, Runtime } from '../runtime/index.ts';
import type { SupervisionSet } from './contract.ts';
import { ContainerWatch } from './container-watch.ts';
import { StateEvents } from './state-events.ts';
import { ProjectSockets } from './net.ts';
import { liveStartOf, readSet, type SupervisorFiles } from './files.ts';
import { mkdirPrivate } from '../common/private-files.ts';

/**
 * The safety net under the events: a shim killed with -9 writes no status file, and its PID 1's later
 * exit renames nothing. 200 ms polls cost a 60-container supervisor 1,103 openat per 5 s (issue 20).
 */
export const LIVENESS_MS = Number(process.env['GANTRY_SUPERVISOR_LIVENESS_MS'] ?? 5000); // tests lengthen it

export class Supervisor {
  readonly #rt: Runtime;
  readonly #files: SupervisorFiles;
  readonly #log: (msg: string) => void;
  readonly #sockets = new ProjectSockets();
  readonly #watches = new Map<string, ContainerWatch>();
  readonly #events: StateEvents;
  /**
   * Ids running (or paused) at their last look, with PID 1's "pid start": an event re-reads only the
   * containers it names, and the liveness check only reads /proc/PID/stat of these.
   */
  readonly #up = new Map<string, string>();
  #set: SupervisionSet | undefined;
  #running = '';

  constructor(rt: Runtime, files: SupervisorFiles, log: (msg: string) => void) {
    this.#rt = rt;
    this.#files = files;
    this.#log = log;
    this.#events = new StateEvents(
      (id) => dirname(rt.logPath(id)),
      (ids) => this.tick(ids),
    );
  }

  get set(): SupervisionSet | undefined {
    return this.#set;
  }

  async apply(set: SupervisionSet): Promise<void> {
    this.#set = set;
    mkdirPrivate(this.#files.health);
    const ids = new Set(set.containers.map((c) => c.id));
    for (const [id, w] of this.#watches) {
      if (ids.has(id)) continue;
      w.close(true);
      this.#watches.delete(id);
    }
    const deps = {
      rt: this.#rt,
      healthDir: this.#files.health,
      log: this.#log,
      stoppedByUserNow: (id: string) => this.#stoppedNow(id),
      // a restart's own state change may arrive while it is still in flight: look once more after it
      settled: (id: string) => this.tick(new Set([id])),
    };
    for (const c of set.containers) {
      const w = this.#watches.get(c.id);
      if (w) w.reconfigure(c);
      else this.#watches.set(c.id, new ContainerWatch(c, deps));
    }
    this.#events.follow(ids);
    this.#running = ''; // force a record refresh
    try {
      // Which containers run matters to the ports only when they are held while running; the tick
      // below reads every container's state anyway. A compose set's reload read each state twice:
      // 120 reads for a 60-service `up -d`'s second apply (issue 20, bench/RESULTS.md "many11").
      await this.#sockets.apply(set, set.portsWhileRunning === true ? this.#runningNow(set) : undefined);
    } finally {
      this.tick();
    }
  }

  #runningNow(set: SupervisionSet): ReadonlySet<string> {
    const ids = set.containers
      .map((c) => c.id)
      .filter((id) => {
        try {
          return ['running', 'paused'].includes(this.#rt.state(id).status);
        } catch {
          return false;
        }
      });
    return new Set(ids);
  }

  /**
   * The net under the events: a container whose PID 1 is gone (a shim killed with -9 renames no
   * status file), or whose watch could not be set, is looked at again. 60 idle containers: 60 reads.
   */
  liveness(): void {
    const ids = new Set(this.#events.rearmMissing());
    for (const [id, stamp] of this.#up) {
      const [pid, start] = stamp.split(' ');
      if (liveStartOf(Number(pid)) !== start) ids.add(id);
    }
    this.tick(ids);
  }

  /** Looks at these containers again (default: all), then refreshes records and ports. */
  tick(ids: ReadonlySet<string> = this.#events.ids()): void {
    const set = this.#set;
    if (!set) return;
    const ours = new Set(set.containers.map((c) => c.id));
    for (const id of this.#up.keys()) if (!ours.has(id)) this.#up.delete(id);
    for (const id of ids) {
      if (!ours.has(id)) continue;
      const st = this.#stateOf(id);
      // A paused container keeps its DNS records and ports: it answers again once unpaused.
      if ((st?.status === 'running' || st?.status === 'paused') && st.pid !== undefined)
        this.#up.set(id, stampOf(st.pid));
      else this.#up.delete(id);
      this.#watches.get(id)?.observe(st);
    }
    const running = new Set(set.containers.map((c) => c.id).filter((id) => this.#up.has(id)));
    const key = [...running].sort().join(' ');
    if (key !== this.#running) {
      this.#running = key;
      this.#sockets.updateRecords(set, running);
      if (set.portsWhileRunning)
        void this.#sockets.apply(set, running).catch((e: unknown) => this.#log(`ports: ${(e as Error).message}`));
    }
  }

  #stateOf(id: string): ContainerState | undefined {
    try {
      return this.#rt.state(id);
    } catch {
      return undefined; // removed by `down` before the set says so
    }
  }

  #stoppedNow(id: string): boolean {
    const fresh = readSet(this.#files);
    return fresh?.containers.find((c) => c.id === id)?.stoppedByUser === true;
  }

  async close(): Promise<void> {
    this.#events.close();
    for (const w of this.#watches.values()) w.close(false);
    this.#watches.clear();
    await this.#sockets.close();
  }
}

/** A PID 1 already gone by now gets a stamp that never matches: the next liveness check looks again. */
const stampOf = (pid: number): string => `${pid} ${liveStartOf(pid) ?? 'gone'}`;
