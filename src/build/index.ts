// The build stage's public API: buildImage (the executor), and its parts: parse a Dockerfile, build its stage graph,
// resolve substitution for the stages a target needs, read the context (.dockerignore, walk,
// content digests) and compute each step's cache key.
export { parseDockerfile, type ParseOptions } from './dockerfile/parse.ts';
export { DockerfileError } from './dockerfile/errors.ts';
export type * from './dockerfile/types.ts';
export { processWord, SubstitutionError, type LexOptions, type LexResult } from './substitute/shell-lex.ts';
export { globalScope, type GlobalScope } from './resolve/global-args.ts';
export { resolveDockerfile, type ResolveOptions, type ResolvedBuild } from './resolve/resolve.ts';
export type * from './resolve/types.ts';
export { hostPlatform, formatPlatform, PROXY_ARGS, type Platform } from './resolve/build-args.ts';
export {
  stageGraph,
  stagesForTarget,
  buildWaves,
  type StageGraph,
  type StageNode,
  type StageRef,
} from './graph/stage-graph.ts';
export { IgnoreMatcher, readIgnoreFile } from './context/dockerignore.ts';
export { loadIgnorePatterns, type IgnoreSource } from './context/ignore-file.ts';
export { walkContext, type ContextEntry } from './context/walk.ts';
export { StatCache } from './context/stat-cache.ts';
export { contentDigests, fileSetDigest } from './context/content-hash.ts';
export { selectSources, contextPath } from './context/select-sources.ts';
export { baseKey, stepKey, instructionIdentity, type StageBaseKey, type StepInputs } from './cache/cache-key.ts';
export { commandArgv, runInvocation, type RunInvocation } from './convert/run-command.ts';
export {
  imageConfigFor,
  historyFor,
  normalizePort,
  type ImageConfigJson,
  type HistoryEntry,
} from './convert/image-config.ts';
export { buildImage, type BuildRequest, type BuildNetwork } from './exec/build-image.ts';
export type { BuildSecret } from './exec/run-mounts.ts';
export { pruneBuildCache, type PruneResult } from './exec/prune-cache.ts';
export { reapOrphans as reapKilledBuildRuns } from './exec/build-leftovers.ts';
export type { Progress } from './exec/run-stage.ts';
