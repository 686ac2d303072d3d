// The fragments the mutators splice into compose and .env text: the inputs that break parsers
// (interpolation edge cases, YAML syntax, odd unicode, control characters, type look-alikes).
export const INTERPOLATION = [
  '${', '${A:?}', '${A:?must be set}', '${A?}', '$$', '$', '$$$', '${A:-${B:-${C:-deep}}}', '${A-}', '${A:+alt}',
  '${ A }', '${1}', '$A', '${A', '}', '${A:-', '${${A}}', '${A:-$$}', '${A:-${B}', '${A:?${B:?x}}', '${}', '$}', '${A:-}}',
  '${_}', '${a.b}', '${A:=x}', '${A//x/y}', '${#A}', '${A:-\\}', '${FUZZ_SET}', '${FUZZ_EMPTY:?}', '${FUZZ_SET:+${FUZZ_SET}}',
] as const;

export const YAML_SYNTAX = [
  '&a ', '*a', '*undefined', '<<: *a', '<<: [*a, *a]', '!!binary ', '!!str ', '!!int ', '!!map ', '!!seq ', '!!set ',
  '!!python/object:os.system ', '!custom ', '!<tag:x> ', '? ', '- ', ': ', '{', '}', '[', ']', "'", '"', '#', '%YAML 1.1\n',
  '%YAML 9.9\n', '%TAG ! tag:x,2000:\n', '---\n', '...\n', '|', '>', '|-', '|+9', ',', '@', '`', '~', '\n', ':\n  ', '\n- ',
  '&a &b ', '*a *b', '!!timestamp 2001-12-14 ', '!!float ', '? [a]: b', 'a: b: c', '"\\', '"\\x', '"\\uD800"', '"\\U0010FFFF"',
] as const;

export const UNICODE = [
  '\0', '\uFEFF', '\uD800', '\uDFFF', '\uDBFF\uDFFF', '\u202E', '\u200F', '\u2028', '\u2029', '\u0085', '\u00A0', '\r\n', '\r',
  '\t', '\v', '\f', '\x1b[31m', '\x7f', '😀', '\u0301', 'é', 'ǅ', '\\', '\uFFFE', '\uFFFF', '\u0000\u0000', 'İ', 'ß', 'ﬁ',
] as const;

export const SCALARS = [
  'null', '~', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', '0o777', '0777', '0x1F', '1e309', '-1e309', '-.inf', '.nan',
  '-0', '1_000', '1:20', '2001-12-14', '9'.repeat(400), '-9007199254740993', '0.1e-400', '""', "''", '[]', '{}', '-', '=',
] as const;

export const ALL_TOKENS: readonly string[] = [...INTERPOLATION, ...YAML_SYNTAX, ...UNICODE, ...SCALARS];

/** Compose keys the generator builds documents from (valid names, so values get checked). */
export const SERVICE_KEYS = [
  'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'volumes', 'networks', 'depends_on',
  'healthcheck', 'restart', 'deploy', 'labels', 'extends', 'profiles', 'secrets', 'configs', 'ulimits', 'extra_hosts',
  'container_name', 'network_mode', 'volumes_from', 'links', 'mem_limit', 'cpus', 'shm_size', 'tmpfs', 'user', 'working_dir',
  'stop_grace_period', 'stop_signal', 'privileged', 'read_only', 'init', 'scale', 'pull_policy', 'logging', 'dns', 'cap_add',
  'sysctls', 'devices', 'security_opt', 'tty', 'stdin_open', 'hostname', 'develop', 'x-fuzz', 'annotations', 'expose',
] as const;
export const TOP_KEYS = ['name', 'version', 'services', 'volumes', 'networks', 'secrets', 'configs', 'include', 'x-top'] as const;
