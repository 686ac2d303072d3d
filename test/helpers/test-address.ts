// A host address made by a test, and a place to knock from: a veth pair whose host end gets
// 10.213.N.1/30 and whose other end, in a network namespace of the test's own, gets 10.213.N.2.
// Only these two addresses are talked to; `remove` deletes exactly what was made.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TestAddress {
  readonly hostIp: string; // on the host, in its own network namespace
  readonly peerIp: string; // inside `netns`
  readonly netns: string;
  /** Runs argv inside the test's namespace; exit code and output, never throws. */
  inNetns(argv: readonly string[], timeoutMs?: number): { code: number; out: string };
  remove(): void;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

export function makeTestAddress(tag: string): TestAddress {
  const n = (process.pid % 250) + 1;
  const netns = `gt${tag}${process.pid}`.slice(0, 15);
  const hostIf = `gh${tag}${process.pid}`.slice(0, 15);
  const peerIf = `gp${tag}${process.pid}`.slice(0, 15);
  const hostIp = `10.213.${n}.1`;
  const peerIp = `10.213.${n}.2`;
  const remove = (): void => {
    if (existsSync(`/sys/class/net/${hostIf}`)) ip('link', 'del', hostIf);
    if (existsSync(`/run/netns/${netns}`)) ip('netns', 'del', netns);
  };
  try {
    ip('netns', 'add', netns);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf, 'netns', netns);
    ip('addr', 'add', `${hostIp}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('-n', netns, 'addr', 'add', `${peerIp}/30`, 'dev', peerIf);
    ip('-n', netns, 'link', 'set', peerIf, 'up');
    ip('-n', netns, 'link', 'set', 'lo', 'up');
  } catch (err) {
    remove();
    throw err;
  }
  return {
    hostIp,
    peerIp,
    netns,
    inNetns(argv, timeoutMs = 20_000) {
      try {
        const out = execFileSync('ip', ['netns', 'exec', netns, ...argv], {
          encoding: 'utf8',
          timeout: timeoutMs,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { code: 0, out };
      } catch (err) {
        const e = err as { status?: number; stdout?: string; stderr?: string };
        return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    },
    remove,
  };
}
