// The freezer of both cgroup versions: v1 `freezer.state` (FROZEN / THAWED, FREEZING while the
// kernel works on it) and v2 `cgroup.freeze` (1 / 0, done once cgroup.events says `frozen 1`).
// Each write is followed by a wait for the settled state, so `pause` returns once nothing runs.
import type { Host } from '../host.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settle(
  host: Host,
  file: string,
  done: (text: string) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    if (done(await host.readFile(file))) return;
    if (Date.now() > until) throw new Error(`${file}: not ${what} after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

export async function v1Freeze(host: Host, stateFile: string, frozen: boolean): Promise<void> {
  const want = frozen ? 'FROZEN' : 'THAWED';
  await host.writeFile(stateFile, want);
  await settle(host, stateFile, (t) => t.trim() === want, want.toLowerCase());
}

export async function v2Freeze(host: Host, dir: string, frozen: boolean): Promise<void> {
  await host.writeFile(`${dir}/cgroup.freeze`, frozen ? '1' : '0');
  const want = `frozen ${frozen ? 1 : 0}`;
  await settle(host, `${dir}/cgroup.events`, (t) => t.split('\n').includes(want), frozen ? 'frozen' : 'thawed');
}
