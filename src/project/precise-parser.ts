// The reader with positions (load.ts, on the `yaml` package) for load-context.ts. Most runs
// never need it (load-fast.ts reads the files; this one only runs to place an error), yet
// initializing yaml's ≈ 60 modules costs every command 4–7 ms: the CLI bundle replaces this file
// with one that loads load.ts on the first call (scripts/bundle-cli.mjs, lazyPreciseParser).
export { parseComposeYaml } from './load.ts';
