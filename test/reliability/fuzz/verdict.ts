// What a fuzzed `gantry config` run may answer: success (warnings as WARN: lines), or a rejection
// that is ONE line, exit 1 or 2 (run-command.ts: 1 invalid project, 2 usage), no stack trace,
// naming where the problem is: FILE:LINE:COL, a key path, or the file / flag / variable at fault.
export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Verdict = { readonly ok: true; readonly kind: string } | { readonly ok: false; readonly why: string };

const POSITION = /^[^\n]*:\d+:\d+: ./;
const KEY_PATH = /^(services|volumes|networks|secrets|configs|include|name|models)([.[][^:]*)?: \S/;
// Errors about a whole file, flag or variable have no line to point at; they name their source.
const SOURCE =
  /(compose file|env file) \S.* (not found|is a directory)|\(from (-p|COMPOSE_PROJECT_NAME|the top-level name|--project-name)[^)]*\)|^no such service: |^(no configuration file provided|empty compose file)|^[^:\n]+: (is a directory|cannot read|not a file|file is too large)/;

export function rejectionKind(line: string): string {
  const detail = line.replace(POSITION.test(line) ? /^[^\n]*?:\d+:\d+: / : /^/, '').replace(/^[\w.[\]-]+: /, '');
  const kinds: [string, RegExp][] = [
    ['interpolation', /template|variable|interpolat/i],
    ['alias', /alias/i],
    ['include/extends', /include|extends|circular|not found/i],
    ['env-file', /env file|quoted value|key cannot|\.env/i],
    [
      'yaml-syntax',
      /YAML|nested|merge key|item|column|mapping key|flow|indent|implicit|block|scalar|collection|Nested|document|tag|anchor|directive|character|quote|unexpected|end of/i,
    ],
    ['schema', /must be|additional property|missing required|invalid key|must not contain/i],
    [
      'consistency',
      /refers to undefined|cycle|conflict|already|distinct|neither|can't be set|must set|unique|required by/i,
    ],
    ['value', /invalid|unknown|unterminated/i],
  ];
  return kinds.find(([, re]) => re.test(detail))?.[0] ?? 'other';
}

export function judge(r: RunResult): Verdict {
  if (r.exitCode === -1) return { ok: false, why: r.stderr };
  if (/\n\s+at /.test(r.stderr)) return { ok: false, why: 'stack trace on stderr' };
  if (/internal error/.test(r.stderr)) return { ok: false, why: 'internal error' };
  const lines = r.stderr.split('\n');
  if (lines.pop() !== '') return { ok: false, why: 'stderr does not end with a newline' };
  const errors = lines.filter((l) => !l.startsWith('WARN: '));
  if (r.exitCode === 0)
    return errors.length === 0
      ? { ok: true, kind: 'accepted' }
      : { ok: false, why: 'exit 0 with a non-warning line on stderr' };
  if (r.exitCode !== 1 && r.exitCode !== 2) return { ok: false, why: `exit code ${r.exitCode}` };
  if (errors.length !== 1 || lines.length !== 1) return { ok: false, why: `rejection is ${lines.length} lines` };
  if (r.stdout !== '') return { ok: false, why: 'rejection printed to stdout' };
  const line = errors[0]!;
  if (!POSITION.test(line) && !KEY_PATH.test(line) && !SOURCE.test(line))
    return { ok: false, why: 'rejection names no position' };
  return { ok: true, kind: `rejected:${rejectionKind(line)}` };
}
