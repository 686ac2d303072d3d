// A failed image command must answer with one line that says what failed, exit non-zero, print
// nothing on stdout and never show an internal error or a stack trace. Returns what is wrong.
import type { RunResult } from './verdict.ts';

export function judgeImageError(r: RunResult, prefix: string): string | undefined {
  if (r.exitCode === 0) return 'accepted';
  if (r.exitCode === 70 || /internal error/.test(r.stderr)) return 'internal error';
  if (/\n\s+at /.test(r.stderr)) return 'stack trace';
  if (!/^[^\n]+\n$/.test(r.stderr)) return `stderr is not one line`;
  if (!r.stderr.startsWith(prefix)) return `does not start with "${prefix}"`;
  if (r.stdout !== '') return 'printed to stdout';
  return undefined;
}
