// Which commands need root, checked once before any command runs (run-argv.ts's preAction hook):
// a non-root user gets one line instead of the raw EPERM or mknod error of whichever step failed
// first. The table lists the commands that need no root: a new command needs root until it is
// added here, so a forgotten entry costs a non-root user a clear refusal, never a raw EPERM.
import type { Command } from 'commander';
import { RuntimeError } from '../common/errors.ts';

// Commands that read no state: the state root is 0700 (other host users must not reach layers,
// volumes or supervision.json), so even ps and ls need root.
const NO_ROOT: ReadonlySet<string> = new Set([
  'version',
  'config',
  'completion',
  '__complete',
  'doctor',
  'help',
  'kube generate',
  'init',
]);

/** `up`, `image pull`, `container run`: the command's words without the program name. */
export function commandPath(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

export const needsRoot = (path: string): boolean => !NO_ROOT.has(path);

/** Throws the one-line error when `cmd` needs root and this process is not root. */
export function checkRoot(cmd: Command, euid: number | undefined = process.geteuid?.()): void {
  const path = commandPath(cmd);
  if (euid === 0 || euid === undefined || !needsRoot(path)) return;
  throw new RuntimeError(`gantry: ${path} needs root (run as root or with sudo); rootless mode is not supported yet`);
}
