// `gantry config`: load, validate and normalize the project, then print it (a valid compose
// file: loading it again gives the same model) or one of its lists. Warnings go to stderr.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UnsupportedError, UsageError } from '../../common/errors.ts';
import { loadRaw, projectFromRaw, templateVariables, toComposeDocument, validateProject } from '../../project/index.ts';
import { runCommand } from '../run-command.ts';
import { cliIo } from '../io.ts';
import { loadOptionsFor } from '../load-options.ts';
import { renderDocument, renderHashes, renderList, renderVariables, type ListMode } from '../render/config-output.ts';

interface ConfigFlags {
  format?: string;
  quiet?: boolean;
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  profiles?: boolean;
  images?: boolean;
  hash?: string;
  variables?: boolean;
  environment?: boolean;
  interpolate: boolean;
  normalize: boolean;
  consistency: boolean;
  output?: string;
  resolveImageDigests?: boolean;
}
const LISTS: readonly ListMode[] = ['services', 'volumes', 'networks', 'profiles', 'images'];

export function registerConfigCommand(program: Command): void {
  const cmd = program.command('config').description('parse, resolve and print the compose project in canonical form');
  cmd
    .option('--format <format>', 'yaml or json (default: yaml; a table for --variables)')
    .option('-q, --quiet', 'only validate, print nothing');
  for (const l of LISTS)
    cmd.option(`--${l}`, `print the ${l === 'images' ? 'image names' : `${l.replace(/s$/, '')} names`}, one per line`);
  cmd
    .option('--hash <services>', 'print the config hash of the services ("*" for all), one "service hash" per line')
    .option('--variables', 'print the variables the files use, with their defaults, as a table')
    .option('--environment', 'print the environment used for interpolation, one VAR=value per line')
    .option('--no-interpolate', 'print the merged files with ${VAR} as written (not normalized)')
    .option('--no-normalize', 'print the merged, interpolated files without normalizing')
    .option('--no-consistency', 'skip the cross-field checks (the output may not be a valid project)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--resolve-image-digests', 'pin image tags to digests (not supported yet)')
    .action(runCommand(async (_ctx, flags: ConfigFlags) => configAction(cmd, flags)));
}

async function configAction(cmd: Command, given: ConfigFlags): Promise<void> {
  if (given.format !== undefined && given.format !== 'yaml' && given.format !== 'json')
    throw new UsageError(`unknown format "${given.format}" (yaml or json)`);
  // Compose prints --variables as a table unless --format is given; everything else defaults to yaml.
  if (given.variables) return printVariables(cmd, given);
  const flags = { ...given, format: given.format ?? 'yaml' };
  if (flags.resolveImageDigests)
    throw new UnsupportedError('config --resolve-image-digests: not supported by gantry yet');
  if (flags.environment) return printVariables(cmd, flags);
  const list = LISTS.find((l) => flags[l]);
  // Lists and hashes name things (keys are never interpolated) and need the model, so they always
  // load it; --no-interpolate / --no-normalize only change how the whole document is printed.
  const asWritten = list === undefined && flags.hash === undefined && (!flags.normalize || !flags.interpolate);
  const raw = await loadRaw(loadOptionsFor(cmd, { interpolate: asWritten ? flags.interpolate : true }));
  let out: string;
  let warnings = raw.warnings;
  if (asWritten) {
    validateProject(raw);
    out = renderDocument(flags.interpolate ? escapeDollars(raw.data) : raw.data, flags.format);
  } else {
    const project = projectFromRaw(raw, { consistency: flags.consistency });
    warnings = project.warnings;
    if (flags.hash !== undefined) out = renderHashes(project, flags.hash);
    else if (list) out = renderList(project, list);
    else out = renderDocument(toComposeDocument(project), flags.format);
  }
  for (const w of warnings) cliIo().stderr(`WARN: ${w}\n`);
  if (flags.quiet) return;
  if (flags.output) writeFileSync(resolve(cliIo().cwd(), flags.output), out);
  else cliIo().stdout(out);
}

// `$` doubled, so the printed file interpolates back to the same values.
const escapeDollars = (data: unknown): unknown => JSON.parse(JSON.stringify(data).replaceAll('$', '$$$$'));

// Compose reads the variables from the files as written and the environment as interpolation sees it.
async function printVariables(cmd: Command, flags: ConfigFlags): Promise<void> {
  const raw = await loadRaw(loadOptionsFor(cmd, { interpolate: !flags.variables }));
  const format = flags.format === 'json' || flags.format === 'yaml' ? flags.format : 'table';
  const out = flags.variables
    ? renderVariables(templateVariables(raw.data), format)
    : Object.keys(raw.environment)
        .sort()
        .map((k) => `${k}=${raw.environment[k]}\n`)
        .join('');
  if (flags.quiet) return;
  if (flags.output) writeFileSync(resolve(cliIo().cwd(), flags.output), out);
  else cliIo().stdout(out);
}
