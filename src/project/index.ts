// The project pipeline, from command-line options to the normalized model. Stage order:
//   1. load-raw.ts     files → one merged, interpolated raw document (its own stage list)
//   2. validate.ts     the raw document against gantry's compose schema
//   3. normalize/      long syntax, defaults, absolute paths → Project (model.ts)
//   4. check.ts        cross-field checks (references, cycles, replicas); host ports are warnings
//   5. unsupported.ts  fields gantry does not implement yet → warnings + project.unsupported
import type { Project } from './model.ts';
import type { LoadOptions, RawProject } from './raw.ts';
import { loadRaw } from './load-raw.ts';
import { validateProject } from './validate.ts';
import { deepFreeze, normalizeProject } from './normalize/index.ts';
import { checkProject } from './check.ts';
import { portWarnings } from './check-ports.ts';
import { fieldWarnings } from './field-warnings.ts';
import { buildKeyWarnings, findUnsupported, loggingWarnings, unsupportedWarnings } from './unsupported.ts';

/** Loads, merges, interpolates, validates and normalizes the compose files into a {@link Project}. */
export async function loadProject(opts: LoadOptions): Promise<Project> {
  return projectFromRaw(await loadRaw(opts));
}

/** Stages 2–5 on an already loaded raw document; `consistency: false` skips the checks (`config --no-consistency`). */
export function projectFromRaw(raw: RawProject, opts: { consistency?: boolean } = {}): Project {
  validateProject(raw);
  const normalized = normalizeProject(raw);
  const consistent = opts.consistency !== false;
  if (consistent) checkProject(normalized, raw);
  const unsupported = findUnsupported(raw);
  const warnings = [...normalized.warnings];
  const more = [loggingWarnings(normalized), fieldWarnings(normalized), buildKeyWarnings(raw)].flat();
  if (consistent) more.push(...portWarnings(normalized, raw));
  for (const w of [...unsupportedWarnings(unsupported), ...more]) if (!warnings.includes(w)) warnings.push(w);
  return deepFreeze<Project>({ ...normalized, unsupported, warnings });
}

export { loadRaw } from './load-raw.ts';
export { validateProject } from './validate.ts';
export type { LoadOptions, RawProject } from './raw.ts';
export { toComposeDocument } from './to-compose.ts';
export { serviceHash } from './hash.ts';
export { requireSupported } from './unsupported.ts';
export { requireFreePorts } from './check-ports.ts';
export { portFlags, volumeFlags } from './flag-values.ts';
export { templateVariables, type TemplateVariable } from './template-variables.ts';
