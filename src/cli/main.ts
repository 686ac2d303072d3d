#!/usr/bin/env node
// The gantry executable: runs argv on the real process (see run-argv.ts for the wiring).
import { runProgram } from './run-argv.ts';

export { buildProgram } from './run-argv.ts';

export async function main(argv: readonly string[]): Promise<void> {
  await runProgram(argv.slice(2)); // reports its own errors and sets process.exitCode
}

void main(process.argv);
