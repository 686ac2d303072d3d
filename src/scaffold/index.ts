// Scaffolding (`gantry init`): detection of a folder's language, templates/ (built-in or a local
// folder), rendering with LiquidJS, checks of every generated file, writes that never overwrite.
export { runInit, type InitRequest, type InitResult } from './init.ts';
export { detectProject, type Detection } from './detect/index.ts';
export { builtinNames, loadTemplate, templatesDir, type Template } from './template-source.ts';
export { parseSetFlags, parseValue } from './values.ts';
export type { Asker } from './answers.ts';
export type { Manifest, VariableSpec, Value } from './manifest.ts';
export type { Written, WriteAction } from './write-output.ts';
