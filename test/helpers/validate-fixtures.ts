// Shared by the validate tests: the fixtures under test/fixtures/compose/validate/ (one project
// per directory, loaded with loadRaw; error.txt marks an invalid one) and the Compose
// Specification's own schema from dclint, compiled with ajv as the reference.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadRaw } from '../../src/project/load-raw.ts';
import type { RawProject } from '../../src/project/raw.ts';
import { fixtureOptions } from './fixture-options.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/compose/validate', import.meta.url));
const OFFICIAL = fileURLToPath(new URL('../../node_modules/dclint/schemas/compose.schema.json', import.meta.url));

export interface Fixture {
  readonly name: string;
  readonly dir: string;
  /** The exact expected one-line error (paths relative to dir), or undefined for a valid project. */
  readonly error: string | undefined;
}

export function fixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .sort()
    .map((name) => {
      const dir = join(FIXTURES, name);
      const errorFile = join(dir, 'error.txt');
      return { name, dir, error: existsSync(errorFile) ? readFileSync(errorFile, 'utf8').trim() : undefined };
    });
}

export function loadFixture(dir: string): Promise<RawProject> {
  return loadRaw(fixtureOptions(dir));
}

let official: ValidateFunction | undefined;

/** The Compose Specification's schema, as shipped in dclint, compiled once. */
export function officialValidator(): ValidateFunction {
  if (official) return official;
  const schema = JSON.parse(readFileSync(OFFICIAL, 'utf8')) as Record<string, unknown>;
  // ajv registers draft-07 under its http:// URL; the upstream file names the https:// one.
  delete schema.$schema;
  official = new Ajv({ strict: false }).compile(schema);
  return official;
}
