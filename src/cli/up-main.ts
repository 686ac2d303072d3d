// `gantry up …` as its own executable (bundled to dist/gantry-up.cjs, which bin/gantry.js picks when
// `up` is the first word): the same program, global options and error handling as main.ts with that
// one command, so an up loads none of the other commands, and its V8 code cache is recorded by an up
// (scripts/bundle-cli.mjs) instead of by `config -q` (issue 20).
import { programWith, runWith } from './program.ts';
import { registerUp } from './commands/up.ts';

// As main.ts: leaving from 'beforeExit' skips V8's heap teardown (≈ 10 ms CPU).
process.once('beforeExit', () => process.exit());
void runWith(programWith(registerUp), process.argv.slice(2));
