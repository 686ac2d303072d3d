// PID 1's seccomp op kept beside its container (the `seccomp` file, written by every start), so
// that an exec with the same capabilities and gantry's default profile loads that filter instead
// of compiling it again: the compile was 20–40 ms of an `exec -T` under load (issue 20,
// bench/RESULTS.md). Only a start writes it (its filter is always compiled by the gantry that
// starts it); an exec only reads it, and only under the same key.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { SeccompSetting } from '../spec.ts';
import type { Op } from './plan-encoding.ts';
import { filterKey, seccompOp, seccompProgram } from './seccomp.ts';

/** Where PID 1's filter is kept, and whether this plan is the start (writes it) or an exec (reads it). */
export interface FilterMemo {
  readonly file: string;
  readonly role: 'start' | 'exec';
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
  const prog = seccompProgram(setting, caps);
  if (!prog) return undefined;
  const op = seccompOp(prog);
  if (key !== undefined && memo?.role === 'start') remember(memo.file, `${key}\n${op[1]}\n${op[2]}`);
  return op;
}

// A whole file or none: an exec reading it meanwhile sees the old one or the new one. Only a speed-up,
// so a start on a full state root (ENOSPC: attack names-07) still starts; its execs then compile.
function remember(file: string, text: string): void {
  try {
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    for (const f of [`${file}.tmp`, file]) {
      try {
        rmSync(f, { force: true }); // an older memo goes too: it is no longer this start's filter
      } catch {
        // nothing more to do: an exec reads it only under its own key
      }
    }
  }
}
