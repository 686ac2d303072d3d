// The instructions with build flags or bodies: COPY, ADD (sources, heredoc sources, --from,
// --chown, --chmod, --link, --exclude, --parents, --checksum, --keep-git-dir), RUN (--mount,
// --network, --security, heredocs) and HEALTHCHECK (NONE / CMD and its duration options).
import { parseGoDuration } from './duration.ts';
import { Flags } from './flags.ts';
import { heredocOpener } from './heredoc.ts';
import { parseRunMount } from './run-mount.ts';
import { commandLine, type LineParts } from './parse-simple.ts';
import type { CopySource, Heredoc, Instruction } from './types.ts';
import { parseJsonArray, splitWhitespace } from './words.ts';

export function parseCopyLike(p: LineParts, kind: 'COPY' | 'ADD', heredocs: readonly Heredoc[]): Instruction {
  const json = parseJsonArray(p.rest);
  const args = json ?? splitWhitespace(p.rest);
  if (args.length < 2) {
    throw new Error(
      `${kind} requires at least two arguments, but only one was provided. Destination could not be determined.`,
    );
  }
  const flags = new Flags(p.flags).parse(
    kind === 'COPY'
      ? { from: 'string', chown: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'strings' }
      : {
          chown: 'string',
          chmod: 'string',
          link: 'bool',
          'keep-git-dir': 'bool',
          checksum: 'string',
          exclude: 'strings',
        },
  );
  const bodies = [...heredocs];
  const sources: CopySource[] = args.slice(0, -1).map((arg) => {
    const opener = json ? undefined : heredocOpener(arg);
    const body = opener ? bodies.shift() : undefined;
    return body ? { kind: 'heredoc', heredoc: body } : { kind: 'path', path: arg };
  });
  const common = {
    ...p.loc,
    sources,
    dest: args[args.length - 1]!,
    chown: flags.string('chown'),
    chmod: flags.string('chmod'),
    link: flags.bool('link'),
    exclude: flags.strings('exclude'),
  };
  if (kind === 'COPY') return { kind, ...common, from: flags.string('from'), parents: flags.bool('parents') };
  return { kind, ...common, checksum: flags.string('checksum'), keepGitDir: flags.bool('keep-git-dir') };
}

const NETWORKS = new Set(['default', 'none', 'host']);
const SECURITY = new Set(['sandbox', 'insecure']);

export function parseRun(p: LineParts, heredocs: readonly Heredoc[]): Instruction {
  const flags = new Flags(p.flags).parse({ mount: 'strings', network: 'string', security: 'string' });
  const network = flags.string('network');
  if (network !== undefined && !NETWORKS.has(network))
    throw new Error(`unsupported network mode ${JSON.stringify(network)}`);
  const security = flags.string('security');
  if (security !== undefined && !SECURITY.has(security))
    throw new Error(`unsupported security mode ${JSON.stringify(security)}`);
  if (p.rest === '') throw new Error('RUN requires at least one argument');
  const mounts = flags.strings('mount').map((spec) => parseRunMount(spec));
  return {
    kind: 'RUN',
    ...p.loc,
    command: commandLine(p.rest),
    heredocs,
    mounts,
    network: network as 'default' | 'none' | 'host' | undefined,
    security: security as 'sandbox' | 'insecure' | undefined,
  };
}

const MIN_DURATION = 1e6; // 1ms, the engine's minimum

export function parseHealthcheck(p: LineParts): Instruction {
  const m = /\s/.exec(p.rest);
  const type = (m ? p.rest.slice(0, m.index) : p.rest).toUpperCase();
  const rest = m ? p.rest.slice(m.index).trim() : '';
  if (type === '') throw new Error('HEALTHCHECK requires at least one argument');
  const none = { interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
  if (type === 'NONE') {
    if (rest !== '') throw new Error('HEALTHCHECK NONE takes no arguments');
    return { kind: 'HEALTHCHECK', ...p.loc, test: ['NONE'], ...none };
  }
  const flags = new Flags(p.flags).parse({
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  });
  if (type !== 'CMD') throw new Error(`Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`);
  const cmd = commandLine(rest);
  if ((cmd.form === 'shell' && cmd.text === '') || (cmd.form === 'exec' && cmd.args.length === 0)) {
    throw new Error('Missing command after HEALTHCHECK CMD');
  }
  const duration = (name: string): number => {
    const v = flags.string(name);
    if (v === undefined || v === '') return 0;
    const d = parseGoDuration(v);
    if (d < MIN_DURATION) throw new Error(`Interval ${JSON.stringify(name)} cannot be less than 1ms`);
    return d;
  };
  const retriesText = flags.string('retries');
  let retries = 0;
  if (retriesText !== undefined && retriesText !== '') {
    if (!/^[+-]?\d+$/.test(retriesText))
      throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(retriesText)}: invalid syntax`);
    retries = Number(retriesText);
    if (retries < 0) throw new Error(`--retries cannot be negative (${retries})`);
  }
  return {
    kind: 'HEALTHCHECK',
    ...p.loc,
    test: cmd.form === 'exec' ? ['CMD', ...cmd.args] : ['CMD-SHELL', cmd.text],
    interval: duration('interval'),
    timeout: duration('timeout'),
    startPeriod: duration('start-period'),
    startInterval: duration('start-interval'),
    retries,
  };
}
