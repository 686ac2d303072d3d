// One supervised container: notices each new run and each exit from the runtime's state, runs its
// healthcheck while it runs, restarts it under its policy with back-off, and keeps its health
// file (health/<id>.json) current. Timers are unref'd: only the supervisor's liveness timer keeps it alive.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type { ContainerState, Runtime } from '../runtime/index.ts';
import { supervisedOf, type HealthState, type SupervisedContainer } from './contract.ts';
import {
  afterProbe,
  backoffMs,
  initialHealth,
  nextProbeIn,
  probeArgs,
  shouldRestart,
  STABLE_RUN_MS,
  timing,
} from './policy.ts';
import { readJson, writeAtomic } from './files.ts';
import { probeTurn, runProbe } from './probe.ts';

export interface WatchDeps {
  readonly rt: Runtime;
  readonly healthDir: string;
  readonly log: (msg: string) => void;
  /** Re-reads supervision.json: `stop` may have marked the container since the last reload. */
  readonly stoppedByUserNow: (id: string) => boolean;
  /** A restart finished: its container is looked at again (an exit seen while it ran was not handled). */
  readonly settled?: (id: string) => void;
}

export class ContainerWatch {
  c: SupervisedContainer;
  readonly #d: WatchDeps;
  #health: HealthState;
  #run: string | undefined; // `started` of the run we watch
  #handledExit: string | undefined;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Re-adopted after a supervisor crash: the first run seen keeps the status from the file. */
  #adopted: boolean;

  constructor(c: SupervisedContainer, d: WatchDeps) {
    this.c = c;
    this.#d = d;
    const kept = readJson<HealthState>(this.#file);
    this.#health = kept ?? initialHealth();
    this.#adopted = kept !== undefined;
    this.#save(); // every supervised container has a file: ps reads restartCount from it
  }

  get #file(): string {
    return join(this.#d.healthDir, `${this.c.id}.json`);
  }

  /**
   * A new supervision set may come after the supervisor already saw the container it describes (`up`
   * starts the container, then hands over the set): a probe timed by the old healthcheck is
   * timed again by the new one, so a recreated container never gets its predecessor's schedule.
   */
  reconfigure(c: SupervisedContainer): void {
    const changed = JSON.stringify(c.healthcheck) !== JSON.stringify(this.c.healthcheck);
    this.c = c;
    if (!changed || this.#closed || this.#timer === undefined) return; // no probe waiting: nothing to re-time
    this.#cancelProbe();
    if (c.healthcheck && probeArgs(c.healthcheck.test)) this.#schedule();
  }

  #cancelProbe(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Called on each look at the container's current state (undefined: it no longer exists). */
  observe(st: ContainerState | undefined): void {
    if (this.#closed || !st) return;
    if (this.#health.instance === undefined)
      this.#health = { ...this.#health, instance: st.created }; // adopted: stamped
    else if (this.#health.instance !== st.created) this.#newInstance(st);
    if (st.status === 'running' && st.started !== this.#run) this.#newRun(st.started);
    if (st.status === 'exited' && this.#restartTimer === undefined && st.finished !== this.#handledExit)
      this.#exited(st);
  }

  /**
   * Recreated under the same name: nothing of the predecessor's health carries over, and its
   * healthcheck and restart policy are the ones the new container was created with (its label):
   * the supervisor can see it before `up` hands over the set that describes it.
   */
  #newInstance(st: ContainerState): void {
    const created = st.created;
    const own = ownConfig(st);
    if (own) this.c = withOwnConfig(this.c, own);
    this.#cancelProbe();
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#run = undefined;
    this.#handledExit = undefined;
    this.#attempt = 0;
    this.#adopted = false;
    this.#health = { ...initialHealth(), instance: created };
    this.#save();
  }

  #newRun(started: string | undefined): void {
    this.#run = started;
    this.#cancelProbe();
    if (!this.#adopted) this.#health = { ...this.#health, status: 'starting', failingStreak: 0 };
    this.#adopted = false;
    this.#save();
    if (this.c.healthcheck && probeArgs(this.c.healthcheck.test)) this.#schedule();
  }

  #exited(st: ContainerState): void {
    this.#handledExit = st.finished;
    this.#cancelProbe();
    const ran = st.started && st.finished ? Date.parse(st.finished) - Date.parse(st.started) : 0;
    if (ran >= STABLE_RUN_MS) this.#attempt = 0;
    const stopped = this.c.stoppedByUser === true || this.#d.stoppedByUserNow(this.c.id);
    if (!shouldRestart(this.c.restart, st.exitCode, this.#health.restartCount, stopped)) return;
    const delay = backoffMs(this.#attempt++);
    this.#restartTimer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    try {
      if (this.#closed || this.c.stoppedByUser || this.#d.stoppedByUserNow(this.c.id)) return;
      this.#health = { ...this.#health, restartCount: this.#health.restartCount + 1 };
      this.#save();
      await this.#d.rt.start(this.c.id);
      this.#d.rt.recordEvent(this.c.id, 'restart');
      this.#d.log(`restarted ${this.c.id} (restart ${this.#health.restartCount})`);
    } catch (e) {
      this.#d.log(`restart of ${this.c.id} failed: ${(e as Error).message}`);
    } finally {
      this.#restartTimer = undefined;
      if (!this.#closed) this.#d.settled?.(this.c.id);
    }
  }

  #schedule(): void {
    const hc = this.c.healthcheck!;
    const started = this.#run ? Date.parse(this.#run) : Date.now();
    const inStart = Date.now() - started < timing(hc).startPeriod;
    this.#timer = setTimeout(() => void this.#probe(), nextProbeIn(hc, this.#health.status, inStart));
    this.#timer.unref();
  }

  async #probe(): Promise<void> {
    this.#timer = undefined; // fired: a probe in flight is not re-timed, its end schedules the next
    const hc = this.c.healthcheck!;
    const run = this.#run;
    await probeTurn();
    if (this.#closed || run !== this.#run) return; // restarted or stopped while it waited its turn
    if (this.#paused()) return this.#schedule(); // a frozen container cannot answer: no verdict while paused
    const result = await runProbe(this.#d.rt, this.c.id, probeArgs(hc.test)!, timing(hc).timeout);
    if (this.#closed || run !== this.#run) return; // restarted or stopped meanwhile
    if (!result) return this.#paused() ? this.#schedule() : undefined; // paused mid-probe: probe again later
    const started = run ? Date.parse(run) : 0;
    const inStart = Date.parse(result.start) - started < timing(hc).startPeriod;
    const was = this.#health.status;
    this.#health = afterProbe(this.#health, result, inStart, timing(hc).retries);
    this.#save();
    // Docker's health_status event: one per change into healthy or unhealthy
    if (this.#health.status !== was && this.#health.status !== 'starting')
      this.#d.rt.recordEvent(this.c.id, `health_status: ${this.#health.status}`);
    this.#schedule();
  }

  #paused(): boolean {
    try {
      return this.#d.rt.state(this.c.id).status === 'paused';
    } catch {
      return false;
    }
  }

  #save(): void {
    writeAtomic(this.#file, `${JSON.stringify(this.#health)}\n`);
  }

  /** removed: the container left the set (its health file goes too). */
  close(removed: boolean): void {
    this.#closed = true;
    this.#cancelProbe();
    clearTimeout(this.#restartTimer);
    if (removed) rmSync(this.#file, { force: true });
  }
}

function ownConfig(st: ContainerState): SupervisedContainer | undefined {
  try {
    return supervisedOf(st.labels);
  } catch {
    return undefined; // not ours to judge: the set's config stays
  }
}

function withOwnConfig(c: SupervisedContainer, own: SupervisedContainer): SupervisedContainer {
  const { healthcheck: _set, ...rest } = c;
  return own.healthcheck
    ? { ...rest, restart: own.restart, healthcheck: own.healthcheck }
    : { ...rest, restart: own.restart };
}
