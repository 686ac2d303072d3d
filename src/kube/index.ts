// The Kubernetes stage: reads the normalized project model (src/project) only; emits plain objects
// and their text. Writing files and printing warnings belong to the CLI.
export { generate, type Generated } from './generate.ts';
export type { GenerateOptions, ServiceType } from './options.ts';
export type { KubeObject } from './objects.ts';
export { renderAll, renderFiles, type Format } from './render.ts';
export { helmFiles, kustomizeFiles } from './package-forms.ts';
export { validateObjects } from './validate.ts';
export { manifestsToCompose, type Played } from './play/manifests-to-compose.ts';
