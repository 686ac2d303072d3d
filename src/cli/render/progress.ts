// Engine events → progress on stderr: plain lines (also what a TTY gets for now), JSON lines, or
// nothing. Lines read like Compose's: "Container demo-web-1  Started".
import type { EngineEvent } from '../../engine/index.ts';
import { UsageError } from '../../common/errors.ts';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

const DONE: Readonly<Record<string, [string, string]>> = {
  'create-network': ['Network', 'Created'],
  'create-volume': ['Volume', 'Created'],
  'create-container': ['Container', 'Created'],
  recreate: ['Container', 'Recreated'],
  start: ['Container', 'Started'],
  stop: ['Container', 'Stopped'],
  remove: ['Container', 'Removed'],
  kill: ['Container', 'Killed'],
  pause: ['Container', 'Paused'],
  unpause: ['Container', 'Unpaused'],
  'remove-network': ['Network', 'Removed'],
  'remove-volume': ['Volume', 'Removed'],
};

export function plainLine(e: EngineEvent): string | undefined {
  switch (e.kind) {
    case 'op-done': {
      const [what, verb] = DONE[e.op] ?? ['', e.op];
      return ` ${what} ${e.target}  ${verb}`;
    }
    case 'op-failed':
      return ` ${DONE[e.op]?.[0] ?? ''} ${e.target}  Error`;
    case 'pull':
      return ` Image ${e.image}  Pulling`;
    case 'waiting':
      return ` Service ${e.service}  Waiting for ${e.dependency} (${e.condition})`;
    case 'warning':
      return `WARN: ${e.message}`;
    default:
      return undefined;
  }
}

export function checkMode(mode: string): void {
  if (!['auto', 'tty', 'plain', 'json', 'quiet'].includes(mode))
    throw new UsageError(`--progress: unknown mode ${mode} (auto, tty, plain, json, quiet)`);
}

export function progressSink(mode: string = 'auto'): (e: EngineEvent) => void {
  checkMode(mode);
  if (mode === 'quiet') return (e) => void (e.kind === 'warning' && process.stderr.write(`WARN: ${e.message}\n`));
  if (mode === 'json') return (e) => void process.stderr.write(`${JSON.stringify(e)}\n`);
  return (e) => {
    const line = plainLine(e);
    if (line !== undefined) process.stderr.write(`${line}\n`);
  };
}
