// Engine events → progress on stderr: plain lines (what a pipe, CI and --progress plain get), JSON
// lines, or nothing. Lines read like Compose's: "Container demo-web-1  Started"; build steps as
// BuildKit's plain output: "#3 [web build 2/5] COPY . .", its RUN output, "#3 CACHED" / "#3 DONE 0.4s".
import type { EngineEvent } from '../../engine/index.ts';
import { UsageError } from '../../common/errors.ts';
import { progressLine } from './progress-lines.ts';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export function plainLine(e: EngineEvent): string | undefined {
  switch (e.kind) {
    case 'op-done':
    case 'op-failed':
    case 'container-state': {
      const l = progressLine(e)!;
      return ` ${l.subject}  ${l.status}`;
    }
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

/** Plain lines; build steps numbered across services (ids are per service), as BuildKit's `#N`. */
function plainSink(write: (line: string) => void): (e: EngineEvent) => void {
  const numbers = new Map<string, number>();
  const number = (service: string, step: number): number => {
    const key = `${service}#${step}`;
    if (!numbers.has(key)) numbers.set(key, numbers.size + 1);
    return numbers.get(key)!;
  };
  return (e) => {
    if (e.kind === 'build-step') {
      const n = number(e.service, e.step);
      if (e.state === 'started') write(`#${n} [${e.service}] ${e.label.replace(/^\[[^\]]*\] /, '')}`);
      else write(e.state === 'cached' ? `#${n} CACHED` : `#${n} DONE ${(e.ms / 1000).toFixed(1)}s`);
    } else if (e.kind === 'build-output') write(`#${number(e.service, e.step)} ${e.line}`);
    else {
      const line = plainLine(e);
      if (line !== undefined) write(line);
    }
  };
}

export function progressSink(mode: string = 'auto'): (e: EngineEvent) => void {
  checkMode(mode);
  if (mode === 'quiet') return (e) => void (e.kind === 'warning' && process.stderr.write(`WARN: ${e.message}\n`));
  if (mode === 'json') return (e) => void process.stderr.write(`${JSON.stringify(e)}\n`);
  return plainSink((line) => process.stderr.write(`${line}\n`));
}
