// Entry of the detached per-project supervisor: `node main.js PROJECT_DIR`. Claims the pid file
// (one supervisor per project), applies supervision.json on start and on SIGHUP, writes the
// applied generation for ensureSupervisor, and exits when the set is gone or empty, or on SIGTERM.
import { existsSync, linkSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRuntime } from '../runtime/index.ts';
import { filesOf, livePid, readSet, startTimeOf, stateRootOf, writeAtomic } from './files.ts';
import { LIVENESS_MS, Supervisor } from './supervisor.ts';

const projectDir = process.argv[2];
if (!projectDir) {
  process.stderr.write('usage: main.js PROJECT_DIR\n');
  process.exit(2);
}
const files = filesOf(projectDir);
// --warm: started by `up` ahead of its first set (prewarmSupervisor). Until a set with containers
// arrives (by WARM_MS at most), an empty or missing set means "not yet", not "exit".
const WARM_MS = Number(process.env['GANTRY_SUPERVISOR_WARM_MS'] ?? 60_000); // tests shorten it
const warmUntil = process.argv[3] === '--warm' ? Date.now() + WARM_MS : 0;
let waitingForSet = warmUntil > 0;
const stillWaiting = (): boolean => waitingForSet && Date.now() < warmUntil;
// Set before the pid file exists: a SIGHUP from ensureSupervisor must never hit the default
// action (terminate). Until the first reload is queued it has nothing to do: that reload reads
// the newest set anyway.
let onHup = (): void => undefined;
process.on('SIGHUP', () => onHup());
const log = (msg: string): void => void process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

/** Hard link of a complete temp file: the pid file appears atomically, and only once. */
function claim(): boolean {
  const tmp = `${files.pid}.${process.pid}`;
  writeFileSync(tmp, `${process.pid} ${startTimeOf(process.pid)}\n`);
  try {
    for (let i = 0; i < 3; i++) {
      try {
        linkSync(tmp, files.pid);
        return true;
      } catch {
        if (livePid(files) !== undefined) return false;
        rmSync(files.pid, { force: true }); // a dead supervisor's
      }
    }
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function release(): void {
  try {
    if (readFileSync(files.pid, 'utf8').startsWith(`${process.pid} `)) rmSync(files.pid, { force: true });
  } catch {}
}

if (!claim()) {
  log('another supervisor is alive; exiting');
  process.exit(0);
}
const sup = new Supervisor(createRuntime({ root: stateRootOf(projectDir) }), files, log);
let busy: Promise<void> = Promise.resolve();
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(liveness);
  clearTimeout(warmEnd);
  await sup.close();
  // Last of what touches the host: `down` goes on removing once the pid file is gone (index.ts).
  release();
  log('stopped');
  process.exit(0);
}

async function reload(): Promise<void> {
  const set = readSet(files);
  if (!set || set.containers.length === 0) return stillWaiting() ? undefined : stop();
  waitingForSet = false;
  try {
    await sup.apply(set);
    writeAtomic(files.applied, JSON.stringify({ generation: set.generation, pid: process.pid }));
    log(`applied generation ${set.generation}: ${set.containers.length} containers, ${set.networks.length} networks`);
  } catch (e) {
    const error = (e as Error).message;
    writeAtomic(files.applied, JSON.stringify({ generation: set.generation, pid: process.pid, error }));
    log(`generation ${set.generation} failed: ${error}`);
  }
}

// One bad callback (a health file whose directory `down` just removed, say) must not take the
// project's DNS and ports down with it: log it and keep serving.
process.on('uncaughtException', (e) => log(`error: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => log(`error: ${(e as Error)?.stack ?? String(e)}`));
const queueReload = (): void => void (busy = busy.then(reload));
onHup = queueReload;
process.on('SIGTERM', () => void busy.then(stop));
process.on('SIGINT', () => void busy.then(stop));
// No set came by WARM_MS: the up that started it is gone.
const warmEnd = setTimeout(
  () => {
    if (waitingForSet) void busy.then(stop);
  },
  Math.max(0, warmUntil - Date.now()),
);
if (!waitingForSet) warmEnd.unref();
// The project is gone without telling us (its set removed): noticed at once, or by the next liveness check.
const gone = (): void => {
  if (!waitingForSet && !existsSync(files.set)) void busy.then(stop);
};
try {
  watch(projectDir, { persistent: false }, (_e, name) => {
    if (name === null || String(name) === basename(files.set)) gone();
  }).on('error', () => undefined);
} catch {} // the liveness check still notices
// Exits and starts arrive as events (state-events.ts); this slow check is the net under them.
const liveness = setInterval(() => {
  gone();
  if (!waitingForSet && !stopping) sup.liveness();
}, LIVENESS_MS);
log(`supervisor ${process.pid} for ${projectDir}`);
queueReload();
