// `SERVICE=N` words of `up --scale` and `scale`: parsed, then checked against the project, so a
// typo fails before anything is created.
import { ConfigError, UsageError } from '../../common/errors.ts';
import type { Project } from '../../engine/index.ts';

/** `what` names the source in the message, as Compose words it for each command. */
export function parseScaleArgs(words: readonly string[], what: (word: string) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of words) {
    const m = /^([^=]+)=(\d+)$/.exec(w);
    if (!m) throw new UsageError(what(w));
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function requireServices(project: Project, names: Iterable<string>): void {
  for (const n of names) if (!(n in project.services)) throw new ConfigError(`no such service: ${n}`);
}

/** Replicas > 1 need generated names: a fixed container_name can only exist once. */
export function checkScale(project: Project, scale: Readonly<Record<string, number>>): void {
  requireServices(project, Object.keys(scale));
  for (const [name, n] of Object.entries(scale)) {
    const fixed = project.services[name]!.container_name;
    if (n > 1 && fixed)
      throw new ConfigError(
        `service ${name} uses the custom container name "${fixed}": remove it to scale the service`,
      );
  }
}
