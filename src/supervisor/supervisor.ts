// The supervisor's state for one project: applies each supervision set (sockets, one watch per
// container), polls the runtime every POLL_MS for exits and restarts, and keeps the DNS records
// equal to the endpoints of the containers running right now.
import type { Runtime } from '../runtime/index.ts';
import type { SupervisionSet } from './contract.ts';
import { ContainerWatch } from './container-watch.ts';
import { ProjectSockets } from './net.ts';
import { readSet, type SupervisorFiles } from './files.ts';
import { mkdirPrivate } from '../common/private-files.ts';

export const POLL_MS = 200;

export class Supervisor {
  readonly #rt: Runtime;
  readonly #files: SupervisorFiles;
  readonly #log: (msg: string) => void;
  readonly #sockets = new ProjectSockets();
  readonly #watches = new Map<string, ContainerWatch>();
  #set: SupervisionSet | undefined;
  #running = '';

  constructor(rt: Runtime, files: SupervisorFiles, log: (msg: string) => void) {
    this.#rt = rt;
    this.#files = files;
    this.#log = log;
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
    };
    for (const c of set.containers) {
      const w = this.#watches.get(c.id);
      if (w) w.reconfigure(c);
      else this.#watches.set(c.id, new ContainerWatch(c, deps));
    }
    this.#running = ''; // force a record refresh
    try {
      await this.#sockets.apply(set, this.#runningNow(set));
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

  tick(): void {
    const set = this.#set;
    if (!set) return;
    const running = new Set<string>();
    for (const c of set.containers) {
      let st;
      try {
        st = this.#rt.state(c.id);
      } catch {
        st = undefined; // removed by `down` before the set says so
      }
      // A paused container keeps its DNS records and ports: it answers again once unpaused.
      if (st?.status === 'running' || st?.status === 'paused') running.add(c.id);
      this.#watches.get(c.id)?.observe(st);
    }
    const key = [...running].sort().join(' ');
    if (key !== this.#running) {
      this.#running = key;
      this.#sockets.updateRecords(set, running);
      if (set.portsWhileRunning)
        void this.#sockets.apply(set, running).catch((e: unknown) => this.#log(`ports: ${(e as Error).message}`));
    }
  }

  #stoppedNow(id: string): boolean {
    const fresh = readSet(this.#files);
    return fresh?.containers.find((c) => c.id === id)?.stoppedByUser === true;
  }

  async close(): Promise<void> {
    for (const w of this.#watches.values()) w.close(false);
    this.#watches.clear();
    await this.#sockets.close();
  }
}
