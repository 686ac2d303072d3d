// Compiled seccomp filters kept on disk, so that the same filter is not compiled again (the
// compile was 20–40 ms of an `exec -T` under load, 5–10 ms CPU of every start; issue 20,
// bench/RESULTS.md). Two memos:
// - PID 1's op beside its container (the `seccomp` file, written by every start): an exec with the
//   same capabilities and gantry's default profile loads that filter, PID 1's own.
// - the shared one (`seccomp-filters/` beside containers/): gantry's default filter per key
//   (architecture, capabilities, kernel) and compiler revision; its first line holds the selected rules
//   themselves, compared whole, so a gantry with another profile or compiler never reads another's
//   program. Every start and exec that would compile reads it first, and writes it after a compile.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeccompSetting } from '../spec.ts';
import type { Op } from './plan-encoding.ts';
import { defaultPolicy, filterKey, seccompOp, seccompProgram } from './seccomp.ts';
import { BPF_COMPILER_REVISION, compileBpf } from '../seccomp/compile-bpf.ts';

/** Where PID 1's filter is kept, whether this plan is the start (writes it) or an exec (reads it), the shared memo. */
export interface FilterMemo {
  readonly file: string;
  readonly role: 'start' | 'exec';
  readonly shared?: string;
}

function remembered(file: string, key: string): Op | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined; // started before this file existed, or never filtered
  }
  const [k, count, hex] = text.split('\n');
  return k === key &&
    count &&
    hex &&
    /^\d+$/.test(count) &&
    /^[0-9a-f]+$/.test(hex) &&
    hex.length === Number(count) * 16
    ? ['seccomp', count, hex]
    : undefined;
}

/** The seccomp op for a process with `caps`, or undefined for none. */
export function seccompOpFor(setting: SeccompSetting | undefined, caps: bigint, memo?: FilterMemo): Op | undefined {
  const key = memo && filterKey(setting, caps);
  if (key !== undefined && memo?.role === 'exec') {
    const op = remembered(memo.file, key);
    if (op) return op;
  }
  const op =
    key !== undefined && memo?.shared !== undefined
      ? sharedOp(memo.shared, setting, caps, key)
      : compiled(setting, caps);
  if (op && key !== undefined && memo?.role === 'start') remember(memo.file, `${key}\n${op[1]}\n${op[2]}`);
  return op;
}

function compiled(setting: SeccompSetting | undefined, caps: bigint): Op | undefined {
  const prog = seccompProgram(setting, caps);
  return prog && seccompOp(prog);
}

/** gantry's default filter through the shared memo: read under its policy's name, else compiled and written. */
function sharedOp(dir: string, setting: SeccompSetting | undefined, caps: bigint, key: string): Op | undefined {
  const named = sharedName(key, setting, caps);
  if (named === undefined) return compiled(setting, caps);
  const file = join(dir, named.name);
  const hit = remembered(file, named.rules);
  if (hit) return hit;
  const op = seccompOp(compileBpf(defaultPolicy(setting, caps)!));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    remember(file, `${named.rules}\n${op[1]}\n${op[2]}`, `${file}.${process.pid}.tmp`); // starts run side by side
  } catch {
    // only a speed-up: the next start compiles again
  }
  return op;
}

/**
 * The shared memo's file name per key and the line that must open it (the compiler's revision and the
 * rules as JSON, one line), once per process: under one key the default policy and the compiler's
 * revision never change while gantry runs, yet the rules' selection was ≈ 1 ms CPU of every start: 60
 * of a 60-service `up` (--cpu-prof, bench/RESULTS.md "slope2"). The rules are compared whole, not by a
 * digest: their 15 KB were the one large input a `container run` hashed, so it loaded node:crypto for
 * them (10–17 ms CPU here; bench/RESULTS.md "run12"), and equality cannot collide. The file is still
 * read per start.
 */
interface SharedName {
  readonly name: string;
  readonly rules: string;
}
const sharedNames = new Map<string, SharedName | undefined>();

function sharedName(key: string, setting: SeccompSetting | undefined, caps: bigint): SharedName | undefined {
  if (sharedNames.has(key)) return sharedNames.get(key);
  const policy = defaultPolicy(setting, caps);
  const rules = JSON.stringify(policy, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  const named = policy && {
    name: `${key.replaceAll('/', '-')}-r${BPF_COMPILER_REVISION}`,
    rules: `r${BPF_COMPILER_REVISION} ${rules}`,
  };
  sharedNames.set(key, named);
  return named;
}

// A whole file or none: an exec reading it meanwhile sees the old one or the new one. Only a speed-up,
// so a start on a full state root (ENOSPC: attack names-07) still starts; its execs then compile.
function remember(file: string, text: string, tmp = `${file}.tmp`): void {
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    for (const f of [tmp, file]) {
      try {
        rmSync(f, { force: true }); // an older memo goes too: it is no longer this start's filter
      } catch {
        // nothing more to do: an exec reads it only under its own key
      }
    }
  }
}
