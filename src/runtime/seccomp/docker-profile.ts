// Reads Docker's seccomp profile JSON (docker run --security-opt seccomp=FILE) into a profile that
// the same compiler turns into BPF: defaultAction/defaultErrnoRet, syscalls[] with names (or the
// older name), action, errnoRet, args, includes/excludes (caps, arches, minKernel). archMap and
// architectures are ignored: the filter is built for the native architecture only, and foreign
// ones are refused. What a BPF filter loaded by the shim cannot do is a one-line error.
import { ConfigError, UnsupportedError, oneLine } from '../../common/errors.ts';
import {
  EPERM,
  type ArgOp,
  type ArgTest,
  type ProfileFilter,
  type SeccompAction,
  type SeccompProfile,
  type SyscallGroup,
} from './profile.ts';

const OPS: Readonly<Record<string, ArgOp>> = {
  SCMP_CMP_EQ: 'eq',
  SCMP_CMP_NE: 'ne',
  SCMP_CMP_LT: 'lt',
  SCMP_CMP_LE: 'le',
  SCMP_CMP_GT: 'gt',
  SCMP_CMP_GE: 'ge',
  SCMP_CMP_MASKED_EQ: 'masked-eq',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDockerProfile(text: string, source: string): SeccompProfile {
  const bad = (path: string, what: string) => new ConfigError(what, { keyPath: `${source}: ${path}` });
  const cannot = (path: string, what: string) => new UnsupportedError(oneLine(`${source}: ${path}: ${what}`));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`not valid JSON (${(e as Error).message})`, { keyPath: source });
  }
  if (!isObject(doc)) throw bad('(top)', 'a seccomp profile is a JSON object');
  for (const k of ['listenerPath', 'listenerMetadata']) if (doc[k]) throw cannot(k, 'no user notification listener');
  if (Array.isArray(doc.flags) && doc.flags.length > 0) throw cannot('flags', 'filter flags are not supported');

  const errno = (v: unknown, path: string, fallback: number): number => {
    if (v === undefined || v === null) return fallback;
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 4095) throw bad(path, 'an errno from 0 to 4095');
    return v as number;
  };
  const action = (v: unknown, path: string, errnoRet: unknown): SeccompAction => {
    switch (v) {
      case 'SCMP_ACT_ALLOW':
        return { kind: 'allow' };
      case 'SCMP_ACT_ERRNO':
        return { kind: 'errno', errno: errno(errnoRet, `${path}Ret`, EPERM) };
      case 'SCMP_ACT_KILL':
      case 'SCMP_ACT_KILL_THREAD':
        return { kind: 'kill-thread' };
      case 'SCMP_ACT_KILL_PROCESS':
        return { kind: 'kill-process' };
      case 'SCMP_ACT_TRAP':
        return { kind: 'trap' };
      case 'SCMP_ACT_LOG':
        return { kind: 'log' };
      case 'SCMP_ACT_TRACE':
        return { kind: 'trace', data: errno(errnoRet, `${path}Ret`, EPERM) };
      case 'SCMP_ACT_NOTIFY':
        throw cannot(path, 'SCMP_ACT_NOTIFY needs a notification listener');
      default:
        throw bad(path, `unknown action ${JSON.stringify(v)}`);
    }
  };
  const u64 = (v: unknown, path: string): bigint => {
    if (v === undefined) return 0n;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(path, 'an unsigned integer');
    if (!Number.isSafeInteger(v)) throw cannot(path, `${v} is beyond 2^53 and cannot be read exactly from JSON`);
    return BigInt(v);
  };
  const args = (v: unknown, path: string): ArgTest[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw bad(path, 'a list');
    return v.map((a: unknown, i): ArgTest => {
      const p = `${path}[${i}]`;
      if (!isObject(a)) throw bad(p, 'an object with index, value, op');
      const op = typeof a.op === 'string' ? OPS[a.op] : undefined;
      if (!op) throw bad(`${p}.op`, `unknown comparison ${JSON.stringify(a.op)}`);
      const index = a.index;
      const ok = typeof index === 'number' && Number.isInteger(index) && index >= 0 && index <= 5;
      if (!ok) throw bad(`${p}.index`, '0 to 5');
      return { index, op, value: u64(a.value, `${p}.value`), valueTwo: u64(a.valueTwo, `${p}.valueTwo`) };
    });
  };
  const strings = (v: unknown, path: string): string[] | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(path, 'a list of strings');
    return v as string[];
  };
  const filter = (v: unknown, path: string): ProfileFilter | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) throw bad(path, 'an object');
    const caps = strings(v.caps, `${path}.caps`)?.map((c) => `CAP_${c.toUpperCase().replace(/^CAP_/, '')}`);
    const arches = strings(v.arches, `${path}.arches`);
    let minKernel: [number, number] | undefined;
    if (v.minKernel !== undefined && v.minKernel !== '') {
      const m = typeof v.minKernel === 'string' ? /^(\d+)\.(\d+)/.exec(v.minKernel) : null;
      if (!m) throw bad(`${path}.minKernel`, 'a kernel version like "4.8"');
      minKernel = [Number(m[1]), Number(m[2])];
    }
    return { ...(caps ? { caps } : {}), ...(arches ? { arches } : {}), ...(minKernel ? { minKernel } : {}) };
  };

  const defaultAction = action(doc.defaultAction, 'defaultAction', doc.defaultErrnoRet);
  const list = doc.syscalls ?? [];
  if (!Array.isArray(list)) throw bad('syscalls', 'a list');
  const syscalls = list.map((s: unknown, i): SyscallGroup => {
    const p = `syscalls[${i}]`;
    if (!isObject(s)) throw bad(p, 'an object');
    const names = strings(s.names, `${p}.names`) ?? (typeof s.name === 'string' ? [s.name] : undefined);
    if (!names || names.length === 0) throw bad(`${p}.names`, 'at least one system call name');
    const includes = filter(s.includes, `${p}.includes`);
    const excludes = filter(s.excludes, `${p}.excludes`);
    if (excludes?.minKernel) throw cannot(`${p}.excludes.minKernel`, 'Docker only reads minKernel in includes');
    return {
      names,
      action: action(s.action, `${p}.action`, s.errnoRet),
      args: args(s.args, `${p}.args`),
      ...(includes ? { includes } : {}),
      ...(excludes ? { excludes } : {}),
    };
  });
  return { defaultAction, syscalls };
}
