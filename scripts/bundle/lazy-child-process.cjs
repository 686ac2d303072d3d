// node:child_process as commander sees it in the CLI bundle: loaded on the first property read.
// commander requires child_process when it loads, only to spawn executable subcommands, which
// gantry never has; loading it eagerly pulls in dgram, net streams and more for every command
// (0–4 ms of a cold `config`: bench/RESULTS.md). bundle-cli.mjs resolves commander's
// require here (an esbuild resolve hook: commander's text is never touched). Whatever commander
// reads, the real module answers; test/e2e/cold-start.test.ts fails if a read comes at load time.
'use strict';
let real;
const load = () => (real ??= require('node:child_process'));
module.exports = new Proxy(
  {},
  {
    get: (_target, key) => load()[key],
    has: (_target, key) => key in load(),
  },
);
