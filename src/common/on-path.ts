// Whether a program can be run by name, answered from PATH without running it: each probe spawn
// forks the whole gantry process (issue 20), and a program's presence is all some callers ask.
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';

/** An executable regular file named cmd in a PATH directory (what execvp would run). */
export function executableOnPath(cmd: string, path: string = process.env['PATH'] ?? ''): boolean {
  return path.split(':').some((dir) => {
    if (dir === '') return false;
    const file = join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
