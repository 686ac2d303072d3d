// Which merge rule applies where, as a table of key-path patterns (`*` = any one key). Anything
// not listed follows the spec's default: mappings merge key by key, sequences append, scalars
// are replaced. Sources: compose-spec 13-merge.md and what Docker Compose does beyond it.

export type MergeRule =
  | 'replace' // the later value wins whole (shell commands, a ulimit)
  | 'mapping' // list (`K=V`) or map forms, merged as a map: later keys win
  | 'hosts' // extra_hosts: `host:ip` / `host=ip` list or map, merged as a map
  | 'depends_on' // short list → long form, then merged as a map
  | 'service-networks' // list → map of network names, then merged as a map
  | 'build' // string → {context}, then merged as a map
  | 'logging' // options merged only when the driver is the same (or unset on one side)
  | 'ipam-config'; // merged by subnet

export const MERGE_RULES: ReadonlyArray<readonly [pattern: string, rule: MergeRule]> = [
  ['services.*.command', 'replace'],
  ['services.*.entrypoint', 'replace'],
  ['services.*.healthcheck.test', 'replace'],
  ['services.*.ulimits.*', 'replace'],
  ['services.*.environment', 'mapping'],
  ['services.*.labels', 'mapping'],
  ['services.*.annotations', 'mapping'],
  ['services.*.sysctls', 'mapping'],
  ['services.*.deploy.labels', 'mapping'],
  ['services.*.build.args', 'mapping'],
  ['services.*.build.labels', 'mapping'],
  ['services.*.build.additional_contexts', 'mapping'],
  ['networks.*.labels', 'mapping'],
  ['volumes.*.labels', 'mapping'],
  ['secrets.*.labels', 'mapping'],
  ['configs.*.labels', 'mapping'],
  ['services.*.extra_hosts', 'hosts'],
  ['services.*.build.extra_hosts', 'hosts'],
  ['services.*.depends_on', 'depends_on'],
  ['services.*.networks', 'service-networks'],
  ['services.*.build', 'build'],
  ['services.*.logging', 'logging'],
  ['networks.*.ipam.config', 'ipam-config'],
];

export type Indexer = 'key-value' | 'volume' | 'device' | 'port' | 'secret' | 'config' | 'plain' | 'env-file';

/**
 * Sequences whose entries are unique by a key: after merging, a later entry with the same key
 * replaces the earlier one in place (e.g. two `volumes` with one target).
 */
export const UNIQUE_RULES: ReadonlyArray<readonly [pattern: string, indexer: Indexer]> = [
  ['services.*.ports', 'port'],
  ['services.*.volumes', 'volume'],
  ['services.*.devices', 'device'],
  ['services.*.secrets', 'secret'],
  ['services.*.configs', 'config'],
  ['services.*.expose', 'plain'],
  ['services.*.env_file', 'env-file'],
  ['services.*.dns', 'plain'],
  ['services.*.dns_opt', 'plain'],
  ['services.*.dns_search', 'plain'],
  ['services.*.cap_add', 'plain'],
  ['services.*.cap_drop', 'plain'],
  ['services.*.links', 'plain'],
  ['services.*.profiles', 'plain'],
  ['services.*.tmpfs', 'plain'],
  ['services.*.environment', 'key-value'],
  ['services.*.labels', 'key-value'],
  ['services.*.sysctls', 'key-value'],
  ['services.*.build.args', 'key-value'],
  ['services.*.build.tags', 'plain'],
  ['services.*.build.platforms', 'plain'],
  ['services.*.networks.*.aliases', 'plain'],
];

type Compiled<T> = ReadonlyArray<readonly [readonly string[], T]>;
const compile = <T>(rules: ReadonlyArray<readonly [string, T]>): Compiled<T> =>
  rules.map(([p, r]) => [p.split('.'), r] as const);
const MERGE = compile(MERGE_RULES);
const UNIQUE = compile(UNIQUE_RULES);

function find<T>(table: Compiled<T>, path: readonly (string | number)[]): T | undefined {
  outer: for (const [pattern, rule] of table) {
    if (pattern.length !== path.length) continue;
    for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*' && pattern[i] !== path[i]) continue outer;
    return rule;
  }
  return undefined;
}

export const mergeRuleFor = (path: readonly (string | number)[]): MergeRule | undefined => find(MERGE, path);
export const indexerFor = (path: readonly (string | number)[]): Indexer | undefined => find(UNIQUE, path);
