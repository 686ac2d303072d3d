// The light door for `image build` and `builder prune`: the host image store's builds without the
// rest of the engine. index.ts reaches every verb (project loading, YAML, the schema validator…),
// which a build never runs; loading it cost ≈ 17 ms of CPU of a fully cached build (5 %).
export { buildHostImage, pruneHostBuildCache, type BuildProgress, type LocalImage } from './commands/host-stores.ts';
export type { BuildSecret } from '../build/index.ts';
