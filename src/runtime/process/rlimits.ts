// ulimits → setrlimit ops, never above the caller's own hard limit: root here lacks
// CAP_SYS_RESOURCE, so raising one would fail (that is why podman fails on this machine).
import { readFileSync } from 'node:fs';
import type { RlimitSpec } from '../spec.ts';

const RESOURCES = [
  'cpu',
  'fsize',
  'data',
  'stack',
  'core',
  'rss',
  'nproc',
  'nofile',
  'memlock',
  'as',
  'locks',
  'sigpending',
  'msgqueue',
  'nice',
  'rtprio',
  'rttime',
];
const LIMITS_NAMES = [
  'Max cpu time',
  'Max file size',
  'Max data size',
  'Max stack size',
  'Max core file size',
  'Max resident set',
  'Max processes',
  'Max open files',
  'Max locked memory',
  'Max address space',
  'Max file locks',
  'Max pending signals',
  'Max msgqueue size',
  'Max nice priority',
  'Max realtime priority',
  'Max realtime timeout',
];
const INFINITY = '18446744073709551615';

/** Hard limits of this process, from /proc/self/limits text (undefined = unlimited). */
export function hardLimits(text: string = readFileSync('/proc/self/limits', 'utf8')): (bigint | undefined)[] {
  return LIMITS_NAMES.map((label) => {
    const line = text.split('\n').find((l) => l.startsWith(label));
    const hard = line?.slice(26).trim().split(/\s+/)[1];
    return hard === undefined || hard === 'unlimited' ? undefined : BigInt(hard);
  });
}

export function rlimitOps(limits: readonly RlimitSpec[], hard: readonly (bigint | undefined)[]): string[][] {
  return limits.map((l) => {
    const idx = RESOURCES.indexOf(l.type.toLowerCase().replace(/^rlimit_/, ''));
    if (idx < 0) throw new Error(`unknown ulimit ${l.type}`);
    const cap = hard[idx];
    const clamp = (v: number) =>
      v < 0 ? (cap ?? BigInt(INFINITY)) : cap !== undefined && BigInt(v) > cap ? cap : BigInt(v);
    const h = clamp(l.hard);
    const s = clamp(l.soft) > h ? h : clamp(l.soft);
    return ['rlimit', String(idx), String(s), String(h)];
  });
}
