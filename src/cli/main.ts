#!/usr/bin/env node
// The gantry executable: runs argv on the real process (see run-argv.ts for the wiring).
import { runProgram } from './run-argv.ts';

export { buildProgram } from './run-argv.ts';

export async function main(argv: readonly string[]): Promise<void> {
  // Node's natural exit tears the whole V8 heap down page by page; 'beforeExit' comes only once
  // the loop is empty (nothing pending to lose), so leaving from there skips just that teardown.
  // Issue 20: ≈ 10 ms CPU of every command (bench/RESULTS.md, "fast exit").
  process.once('beforeExit', () => process.exit());
  await runProgram(argv.slice(2)); // reports its own errors and sets process.exitCode
}

void main(process.argv);
