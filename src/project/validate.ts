// Schema validation of the merged raw document (ajv, most specific error, compose words).
// Placeholder: replaced by the schema validator from its own branch at merge.
import type { RawProject } from './raw.ts';

export function validateProject(raw: RawProject): void {
  void raw; // replaced by the schema validator
}
