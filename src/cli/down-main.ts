// `gantry down …` as its own executable (bundled to dist/gantry-down.cjs, which bin/gantry.js picks
// when `down` is the first word): the same program, global options and error handling as main.ts
// with that one command, so a down loads none of the other commands, and its V8 code cache is
// recorded by a down (scripts/bundle-cli.mjs) instead of by `config -q`.
import { programWith, runWith } from './program.ts';
import { registerDown } from './commands/down.ts';

// As main.ts: leaving from 'beforeExit' skips V8's heap teardown (≈ 10 ms CPU).
process.once('beforeExit', () => process.exit());
void runWith(programWith(registerDown), process.argv.slice(2));
