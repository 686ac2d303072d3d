// A project's develop.watch rules, compiled: which service and rule a changed host path belongs
// to. A path counts for a rule when it is the rule's path or under it, is not matched by its
// `ignore` patterns, matches its `include` patterns when there are some (both relative to the
// rule's path, .dockerignore syntax, as Compose), and is not excluded by the .dockerignore of the
// service's build context when it lies inside that context. The first rule of a service that
// takes a path wins for that service; every service's rules see every path.
import { statSync } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import { contextIgnore, patternMatcher } from '../engine/index.ts';
import type { Project, WatchRule } from '../project/model.ts';

export interface CompiledRule {
  readonly service: string;
  readonly rule: WatchRule;
  /** The rule's path is a file (its target is the file's own path in the container). */
  readonly isFile: boolean;
  takes(path: string): boolean;
  /** Where a path under the rule lands in the container (sync actions). */
  targetOf(path: string): string;
}

const inside = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
const slash = (p: string): string => p.split(sep).join('/');

async function compileRule(project: Project, service: string, rule: WatchRule): Promise<CompiledRule> {
  const b = project.services[service]!.build;
  const [ignored, included, dockerignored] = await Promise.all([
    patternMatcher(rule.ignore),
    rule.include ? patternMatcher(rule.include) : undefined,
    b && !/^[a-z]+:\/\//i.test(b.context) ? contextIgnore(b.context, b.dockerfile) : undefined,
  ]);
  const isFile = statSync(rule.path, { throwIfNoEntry: false })?.isFile() ?? false;
  return {
    service,
    rule,
    isFile,
    takes(path) {
      if (!inside(rule.path, path)) return false;
      const rel = slash(relative(rule.path, path));
      if (rel !== '' && ignored(rel)) return false;
      if (included && rel !== '' && !included(rel)) return false;
      return !(
        b &&
        dockerignored &&
        inside(b.context, path) &&
        path !== b.context &&
        dockerignored(slash(relative(b.context, path)))
      );
    },
    targetOf(path) {
      return isFile ? rule.target! : posix.join(rule.target!, slash(relative(rule.path, path)));
    },
  };
}

/** The rules of the named services (all when none), in file order per service. */
export async function compileRules(project: Project, services: readonly string[]): Promise<readonly CompiledRule[]> {
  const names = services.length > 0 ? services : Object.keys(project.services);
  const jobs = names.flatMap((s) => (project.services[s]!.develop?.watch ?? []).map((r) => compileRule(project, s, r)));
  return Promise.all(jobs);
}

/** Per service, the first rule that takes the path. */
export function rulesFor(rules: readonly CompiledRule[], path: string): readonly CompiledRule[] {
  const seen = new Set<string>();
  const out: CompiledRule[] = [];
  for (const r of rules) {
    if (seen.has(r.service) || !r.takes(path)) continue;
    seen.add(r.service);
    out.push(r);
  }
  return out;
}
