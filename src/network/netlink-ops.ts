// gantry's own `ip -batch` lines as ops of the shim's netlink executor (native/netlink.h): one exec'd
// process does an attach's host links and every namespace's addresses, routes and lo over
// rtnetlink, where `/bin/sh` → `ip -batch` → one `ip -n NS -batch` per namespace ran 2 + N
// programs (bench/RESULTS.md, issue 20, nl11: a 10-service up ran 12 for its attaches). Only the
// exact lines the network module writes are known; a batch holding any other line returns
// undefined and runs through `ip`, as does every batch when the shim binary lacks the mode.
import { findShimBinary } from '../common/shim-binary.ts';
import { type Captured, runCaptured } from '../common/run-captured.ts';
import { RuntimeError } from '../common/errors.ts';

const MAC = '([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})';
const IPV4 = '(\\d{1,3}(?:\\.\\d{1,3}){3})';
const MTU = '(?: mtu ([1-9]\\d*))?';

type Translate = (m: RegExpExecArray) => readonly string[] | undefined;

const LINES: readonly (readonly [RegExp, Translate])[] = [
  [/^netns add (\S+)$/, (m) => ['netns', m[1]!]],
  [new RegExp(`^link add name (\\S+)${MTU} address ${MAC} type bridge$`), (m) => ['bridge', m[1]!, m[2] ?? '0', m[3]!]],
  [
    new RegExp(`^link add (\\S+)${MTU} type veth peer name (\\S+)${MTU}(?: address ${MAC})? netns (/\\S+)$`),
    // one MTU for both ends, as veth.ts writes it
    (m) => (m[2] === m[4] ? ['veth', m[1]!, m[3]!, m[2] ?? '0', m[5] ?? '-', m[6]!] : undefined),
  ],
  [new RegExp(`^addr add ${IPV4}/(\\d{1,2}) dev (\\S+)$`), (m) => ['addr', m[3]!, m[1]!, m[2]!]],
  [/^link set (?:dev )?(\S+) up$/, (m) => ['up', m[1]!]],
  [/^link set (?:dev )?(\S+) master (\S+)$/, (m) => ['master', m[1]!, m[2]!]],
  [new RegExp(`^link set dev (\\S+) address ${MAC}$`), (m) => ['mac', m[1]!, m[2]!]],
  [new RegExp(`^route replace default via ${IPV4} dev (\\S+)$`), (m) => ['route', m[2]!, m[1]!]],
  [/^link set (\S+) alias (\S+)$/, (m) => ['alias', m[1]!, m[2]!]],
  // a teardown's (veth.ts, vethsHostDeleteLines; context.ts, hostLinksDeleteLines)
  [/^link set dev (\S+) group (\d+)$/, (m) => ['group', m[1]!, m[2]!]],
  [/^link del group (\d+)$/, (m) => ['delgroup', m[1]!]],
  [/^link del (\S+)$/, (m) => ['del', m[1]!]],
  [/^netns del (\S+)$/, (m) => ['netnsdel', m[1]!]],
];

/** The executor's tokens for one line, or undefined when it does not know the line. */
export function netlinkOp(line: string): readonly string[] | undefined {
  for (const [re, translate] of LINES) {
    const m = re.exec(line);
    if (m !== null) return translate(m);
  }
  return undefined;
}

/** A job's tokens for the executor (netnsPath `-`: the host), or undefined when a line is unknown. */
export function jobTokens(netnsPath: string, lines: readonly string[]): readonly string[] | undefined {
  const ops = lines.map(netlinkOp);
  return ops.every((o) => o !== undefined) ? ['job', netnsPath, ...ops.flat()] : undefined;
}

export interface NetlinkJob {
  readonly netnsPath: string;
  readonly lines: readonly string[];
}

/** An op set: a make's, a teardown's (with or without rules), a network's make with its rules. */
export type NetlinkOps = 'make' | 'delete' | 'make+rules';

/** The op sets this process's shim turned down: not asked again. */
const refused = new Set<NetlinkOps>();

/**
 * `gantry-shim netlink ARGS` with `input` on stdin; undefined when there is no shim or it turns the
 * `ops` down (an older build: it exits non-zero having done nothing, as the mode does on bad
 * arguments; an nl11 shim knows a make's ops but not a teardown's, so each set is remembered apart).
 */
export async function execNetlink(
  ops: NetlinkOps,
  args: readonly string[],
  input?: string,
): Promise<Captured | undefined> {
  const shim = refused.has(ops) || (ops === 'make+rules' && refused.has('make')) ? undefined : findShimBinary();
  if (shim === undefined) return undefined;
  const r = await runCaptured(shim, ['netlink', ...args], input);
  if (r.exitCode === 0 || r.stdout !== '') return r; // started: its output says what was done
  refused.add(ops);
  // A shim with the mode but not --rules (an nl11 build) names it as the bad op and still takes a
  // make's ops; any other refusal is a shim without the mode: its makes are not asked either.
  if (ops === 'make+rules' && !r.stderr.includes('bad op "--rules"')) refused.add('make');
  return undefined;
}

const RULES_STATUS = /^rules =(-?\d+)(?:\n|$)/m;

/**
 * A `--rules` run's output apart: iptables-restore's exit status (the `rules =STATUS` line the shim
 * prints last, native/netlink-rules.h; undefined without one) and the rest, the links' report.
 */
export function splitRulesStatus(stdout: string): { readonly status: number | undefined; readonly rest: string } {
  const m = RULES_STATUS.exec(stdout);
  if (m === null) return { status: undefined, rest: stdout };
  return { status: Number(m[1]), rest: stdout.slice(0, m.index) + stdout.slice(m.index + m[0].length) };
}

/** A failed `iptables-restore -w --noflush` of a network's rules, whichever child ran it. */
export const restoreFailed = (why: string): RuntimeError =>
  new RuntimeError(`network: \`iptables-restore -w --noflush\` failed: ${why}`);

/**
 * The host batch, then each job, through the executor; its output is the `ip` launcher's
 * (ip-batches.ts parses both). undefined when a line is unknown or the shim cannot run it.
 */
export async function runNetlink(host: readonly string[], jobs: readonly NetlinkJob[]): Promise<Captured | undefined> {
  const parts = [jobTokens('-', host), ...jobs.map((j) => jobTokens(j.netnsPath, j.lines))];
  if (!parts.every((p) => p !== undefined)) return undefined;
  return execNetlink('make', parts.flat());
}
