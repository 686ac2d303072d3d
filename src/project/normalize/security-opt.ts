// `security_opt`: each entry checked here (Docker refuses what it does not know); a seccomp
// profile path is made absolute against the project directory, so `up` reads the same file.
import type { KeyPath } from '../raw.ts';
import { parseSecurityOpt } from '../security-opt.ts';
import { absolutePath, configError, stringList, type NormalizeContext } from './context.ts';

export function normalizeSecurityOpt(ctx: NormalizeContext, path: KeyPath, v: unknown): string[] {
  return stringList(ctx, path, v).map((opt, i) => {
    const parsed = parseSecurityOpt(opt);
    if (typeof parsed === 'string') throw configError(ctx, [...path, i], parsed);
    if (parsed.kind !== 'seccomp' || parsed.profile === 'unconfined') return opt;
    return `seccomp=${absolutePath(ctx, parsed.profile)}`;
  });
}
