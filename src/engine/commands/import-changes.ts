// `image import --change`: the Dockerfile instructions `docker import` accepts, applied to an
// empty config the way a build applies them (src/build's parser, substitution and config), so
// `CMD echo hi` becomes ["/bin/sh","-c","echo hi"] and ENV values reach later instructions.
import { UsageError } from '../../common/errors.ts';

// Docker's list of commit/import changes (builder/dockerfile: validCommitCommands).
const ALLOWED = new Set([
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'ONBUILD',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** The OCI config `changes` give an imported image; `{}` when there are none. */
export async function importChanges(changes: readonly string[]): Promise<Record<string, unknown>> {
  if (changes.length === 0) return {};
  for (const c of changes) {
    const word = /^\s*(\S+)/.exec(c)?.[1] ?? '';
    if (!ALLOWED.has(word.toUpperCase()))
      throw new UsageError(`--change "${c}": ${word.toLowerCase() || 'empty'} is not a valid change command`);
    if (/[\r\n]/.test(c)) throw new UsageError(`--change "${c}": one instruction per --change`);
  }
  const { parseDockerfile, resolveDockerfile, imageConfigFor } = await import('../../build/index.ts');
  const text = `FROM scratch\n${changes.join('\n')}\n`;
  let config: Record<string, unknown>;
  try {
    const stage = resolveDockerfile(parseDockerfile(text, { file: '--change' })).stages[0]!;
    config = { ...imageConfigFor(stage, undefined) };
  } catch (e) {
    // Errors name line N of the joined text: line 2 is the first --change.
    const m = /^--change:(\d+): (.*)$/.exec((e as Error).message);
    if (m) throw new UsageError(`--change "${changes[Number(m[1]) - 2] ?? ''}": ${m[2]!}`);
    throw new UsageError(`--change: ${(e as Error).message}`);
  }
  // As docker import: no Env key when no ENV was given.
  if (Array.isArray(config['Env']) && config['Env'].length === 0) delete config['Env'];
  return config;
}
