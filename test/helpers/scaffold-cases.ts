// Helpers for the template tests: the answer sets each built-in template is rendered with
// (defaults, every alternative of every choice, and everything non-default at once), and an
// in-process `gantry init` into a fresh temp folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArgv, type ArgvResult } from '../../src/cli/run-argv.ts';
import { builtinNames, loadTemplate, type VariableSpec } from '../../src/scaffold/index.ts';
import { valueProblem } from '../../src/scaffold/values.ts';

/** Non-default text for string variables, used where the variable exists and the text fits. */
const STRINGS: Readonly<Record<string, string>> = {
  start_command: 'run-app --flag "two words"',
  test_command: 'make test',
  worker_command: 'run-worker --queue default',
  build_command: 'npm run build',
  build_dir: 'out',
  site_dir: 'site',
  image: 'registry.example:5000/team/busybox:1.36',
  document_root: 'public',
  project: 'My.Api',
  binary: 'my-svc',
  package: './cmd/server',
  app_module: 'main:app',
};

export interface Case {
  readonly template: string;
  readonly label: string;
  readonly set: Readonly<Record<string, string>>;
}

/** The variables a render of `name` sees: a stack's own plus those of its language template. */
export function specsOf(name: string, language?: string): VariableSpec[] {
  const t = loadTemplate(name, '/');
  const free = (v: VariableSpec): boolean => t.manifest.set[v.name] === undefined;
  if (t.manifest.filesFrom === undefined) return t.manifest.variables.filter(free);
  const lang = language ?? String(t.manifest.variables.find((v) => v.name === t.manifest.filesFrom)!.default);
  const b = loadTemplate(lang, '/').manifest;
  const base = b.variables.filter((v) => t.manifest.set[v.name] === undefined && b.set[v.name] === undefined);
  return [...t.manifest.variables, ...base.filter((b) => !t.manifest.variables.some((v) => v.name === b.name))];
}

function flipped(spec: VariableSpec): string | undefined {
  switch (spec.type) {
    case 'boolean':
      return String(!spec.default);
    case 'number':
      return String(Math.min(Number(spec.default) + 1, spec.max ?? 65535));
    case 'choice':
      return spec.choices!.filter((c) => c !== spec.default).at(-1);
    case 'string': {
      const text = STRINGS[spec.name];
      return text !== undefined && valueProblem(spec, text) === undefined ? text : undefined;
    }
  }
}

export function cases(): Case[] {
  const out: Case[] = [];
  for (const template of builtinNames()) {
    out.push({ template, label: 'defaults', set: {} });
    const specs = specsOf(template);
    const all: Record<string, string> = {};
    for (const s of specs) {
      const v = flipped(s);
      if (v !== undefined && s.name !== 'language') all[s.name] = v;
      if (s.type !== 'choice') continue;
      for (const c of s.choices!.filter((x) => x !== s.default)) {
        out.push({ template, label: `${s.name}=${c}`, set: { [s.name]: c } });
      }
    }
    out.push({ template, label: 'all non-default', set: all });
  }
  return out;
}

export const tempDir = (label: string): string =>
  mkdtempSync(join(tmpdir(), `gantry-scaffold-${label.replace(/\W+/g, '-')}-`));

export function init(
  dir: string,
  template: string,
  set: Readonly<Record<string, string>>,
  extra: readonly string[] = [],
): Promise<ArgvResult> {
  const sets = Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const args = ['init', dir, '--yes', '--template', template, ...sets, ...extra];
  return runArgv(args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '' } });
}
