// `gantry image build …` as its own executable (bundled to dist/gantry-image-build.cjs, which
// bin/gantry.js picks for those two words): the same program, global options and error handling
// as main.ts with that one command, so a build loads neither the compose loader (YAML, the schema
// validator) nor the other commands, and its V8 code cache holds a build's functions.
import { programWith, runWith } from './program.ts';
import { registerImageBuild } from './commands/image/build.ts';

const program = programWith((p) => registerImageBuild(p.command('image').description('manage images')));
void runWith(program, process.argv.slice(2));
