// What `gantry config` prints for each of its modes: the whole project as YAML or JSON, or one
// list (service names, volumes, networks, profiles, images, hashes), one entry per line.
import { ConfigError } from '../../common/errors.ts';
import { emitYaml, scalarText } from '../../common/yaml-emit.ts';
import type { Project } from '../../project/model.ts';
import { serviceHash, type TemplateVariable } from '../../project/index.ts';
import { formatTable } from './table.ts';

export function renderDocument(doc: unknown, format: string): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : emitYaml(doc);
}

export type ListMode = 'services' | 'volumes' | 'networks' | 'profiles' | 'images';

export function renderList(project: Project, mode: ListMode): string {
  const lines: Record<ListMode, () => string[]> = {
    services: () => Object.keys(project.services).sort(),
    volumes: () => Object.keys(project.volumes).sort(),
    networks: () => Object.keys(project.networks).sort(),
    profiles: () => [...project.allProfiles].sort(),
    images: () =>
      Object.keys(project.services)
        .sort()
        .map((s) => project.services[s]!.image ?? ''),
  };
  return lines[mode]()
    .map((l) => `${l}\n`)
    .join('');
}

/** `--hash '*'` or `--hash web,db`: `service hash` lines, sorted by service. */
export function renderHashes(project: Project, spec: string): string {
  const names =
    spec === '*'
      ? Object.keys(project.services)
      : spec
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  const out: string[] = [];
  for (const name of [...names].sort()) {
    const svc = project.services[name];
    if (!svc) throw new ConfigError(`no such service: ${name}`);
    out.push(`${name} ${serviceHash(svc, project)}\n`);
  }
  return out.join('');
}

/**
 * `--variables`: a table by default; with an explicit --format, what Compose prints for its map of
 * compose-go `Variable`s: JSON with Go's field names and 4-space indent (its encoder's newline plus
 * Println's), YAML with yaml.v3's lower-cased field names and 4-space indent.
 */
export function renderVariables(vars: readonly TemplateVariable[], format: 'table' | 'json' | 'yaml'): string {
  if (format === 'table')
    return formatTable(
      ['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'],
      vars.map((v) => [v.name, String(v.required), v.defaultValue, v.alternateValue]),
    );
  const entry = (v: TemplateVariable) => ({
    Name: v.name,
    DefaultValue: v.defaultValue,
    PresenceValue: v.alternateValue,
    Required: v.required,
  });
  if (format === 'json')
    return `${JSON.stringify(Object.fromEntries(vars.map((v) => [v.name, entry(v)])), null, 4)}\n\n`;
  if (vars.length === 0) return '{}\n';
  return vars
    .map((v) =>
      [
        `${scalarText(v.name)}:`,
        ...Object.entries(entry(v)).map(([k, x]) => `    ${k.toLowerCase()}: ${scalarText(x)}`),
      ]
        .map((l) => `${l}\n`)
        .join(''),
    )
    .join('');
}
