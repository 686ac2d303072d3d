// `gantry init`: detect → choose the template → answers → render → check → write. Nothing is
// written until every generated file has passed its check (check-output.ts).
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../common/errors.ts';
import { detectProject, type Detection } from './detect/index.ts';
import type { Value, VariableSpec } from './manifest.ts';
import { loadTemplate, sharedPartials, type Template } from './template-source.ts';
import { resolveAnswers, type Asker } from './answers.ts';
import { renderFiles, type RenderedFile } from './render.ts';
import { checkOutput } from './check-output.ts';
import { planWrites, writeFiles, type Written } from './write-output.ts';
import { projectNameFrom } from './values.ts';

export interface InitRequest {
  /** Absolute target folder (created when missing). */
  readonly dir: string;
  readonly cwd: string;
  readonly template?: string | undefined;
  readonly given: ReadonlyMap<string, { readonly text: string; readonly from: string }>;
  readonly force: boolean;
  readonly dryRun: boolean;
  /** Undefined with --yes or without a terminal: every unanswered question takes its default. */
  readonly asker?: Asker | undefined;
  /** Built-in template names, for the interactive choice. */
  readonly names?: readonly string[];
}

export interface InitResult {
  readonly template: string;
  readonly base: string | undefined;
  readonly detection: Detection | undefined;
  readonly answers: Readonly<Record<string, Value>>;
  readonly files: readonly RenderedFile[];
  readonly written: readonly Written[];
  readonly warnings: readonly string[];
}

// Always there, so every template may use them: the project name and a fresh secret for .env.
const BUILTINS: readonly VariableSpec[] = [
  { name: 'name', type: 'string', default: 'app', pattern: '[a-z0-9][a-z0-9_-]*' },
];

const randomSecret = (): string => process.getBuiltinModule('node:crypto').randomBytes(18).toString('base64url');

export async function runInit(req: InitRequest): Promise<InitResult> {
  if (existsSync(req.dir) && !statSync(req.dir).isDirectory()) throw new UsageError(`${req.dir} is not a directory`);
  const detection = existsSync(req.dir) ? detectProject(req.dir) : undefined;
  const ref = req.template ?? detection?.language ?? (await chooseTemplate(req));
  const template = loadTemplate(ref, req.cwd);
  const detected: Record<string, string> = { name: projectNameFrom(basename(req.dir)), ...(detection?.values ?? {}) };
  let files = template.files;
  let specs = [...BUILTINS, ...template.manifest.variables];
  let base: Template | undefined;
  let answers: Record<string, Value>;
  const fixed = template.manifest.set;
  if (template.manifest.filesFrom !== undefined) {
    // A stack: first which language template supplies the files, then that template's questions.
    const key = template.manifest.filesFrom;
    if (detection && !req.given.has(key)) detected[key] = detection.language;
    const own = await resolveAnswers(template.name, specs, {
      detected,
      given: pick(req.given, specs),
      fixed: {},
      asker: req.asker,
    });
    base = loadTemplate(String(own[key]), req.cwd);
    const baseSpecs = base.manifest.variables.filter((v) => !specs.some((s) => s.name === v.name));
    const rest = await resolveAnswers(template.name, baseSpecs, {
      detected,
      given: omit(req.given, specs),
      fixed: { ...base.manifest.set, ...fixed },
      asker: req.asker,
    });
    answers = { ...own, ...rest };
    specs = [...specs, ...baseSpecs];
    files = new Map([...base.files, ...template.files]);
  } else {
    answers = await resolveAnswers(template.name, specs, { detected, given: req.given, fixed, asker: req.asker });
  }
  const values = { ...answers, secret: randomSecret(), template: template.name };
  const rendered = await renderFiles(template.name, files, sharedPartials(), values);
  const { warnings } = await checkOutput(template.name, rendered, String(answers['name']));
  const written = req.dryRun ? planWrites(req.dir, rendered, req.force) : writeFiles(req.dir, rendered, req.force);
  return { template: template.name, base: base?.name, detection, answers, files: rendered, written, warnings };
}

async function chooseTemplate(req: InitRequest): Promise<string> {
  if (req.asker && req.names) return req.asker.chooseTemplate(req.names, undefined);
  throw new UsageError(
    `nothing to detect in ${req.dir}: name a template with --template NAME (gantry init --list shows them)`,
  );
}

type Given = InitRequest['given'];
const named = (specs: readonly VariableSpec[], k: string): boolean => specs.some((s) => s.name === k);
const pick = (g: Given, specs: readonly VariableSpec[]): Given => new Map([...g].filter(([k]) => named(specs, k)));
const omit = (g: Given, specs: readonly VariableSpec[]): Given => new Map([...g].filter(([k]) => !named(specs, k)));
