// `gantry exec …` and `gantry container run …` as their own executable (bundled to
// dist/gantry-exec-run.cjs, which bin/gantry.js picks for those words): the same program, global
// options and error handling as main.ts with those two commands, which reach the engine through its
// light door (engine/exec-run.ts). Loading the whole CLI was 42–49 % of exec's CPU (issue 20).
import { programWith, runWith } from './program.ts';
import { registerExec } from './commands/exec.ts';
import { registerRun } from './commands/container/run.ts';

// As main.ts: leave from 'beforeExit' (the loop is empty) and skip V8's heap teardown.
process.once('beforeExit', () => process.exit());
const program = programWith((p) => {
  registerExec(p);
  registerRun(p.command('container').description('manage single containers (low level)').enablePositionalOptions());
});
void runWith(program, process.argv.slice(2));
