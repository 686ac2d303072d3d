// `gantry compose <cmd> ...` as Docker users type it: the word `compose` in command position is
// dropped before commander sees argv, so every command and flag behaves exactly as `gantry <cmd>`.

// Global options that take a value: their value is never the command word (`-p compose up`). A JSON
// file because bin/gantry.js reads it too, to pick a command's bundle before any of the CLI loads.
import VALUE_OPTIONS from './value-options.json' with { type: 'json' };

const TAKES_VALUE: ReadonlySet<string> = new Set(VALUE_OPTIONS);

/** argv without the `compose` word when it stands where the command goes; otherwise argv as is. */
export function stripComposeWord(args: readonly string[]): readonly string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args;
    if (a.startsWith('-')) {
      if (TAKES_VALUE.has(a)) i++;
      continue;
    }
    return a === 'compose' ? [...args.slice(0, i), ...args.slice(i + 1)] : args;
  }
  return args;
}
