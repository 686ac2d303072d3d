// Engine events → the lines of a progress view, as Compose words them: one line per resource
// ("Container demo-web-1  Started", "Image busybox  Pulled", "[web 2/5] COPY . .  CACHED"), each
// active, done or failed. The live view (live-view.ts) and plain lines (progress.ts) both read it.
import type { EngineEvent } from '../../engine/index.ts';

export type LinePhase = 'active' | 'done' | 'failed';

export interface ProgressLine {
  /** One line per key: later events of the same resource rewrite it. */
  readonly key: string;
  /** "Container demo-web-1", "Image busybox", "[web 2/5] RUN make". */
  readonly subject: string;
  /** "Started", "Healthy", "CACHED"; empty while a build step runs. */
  readonly status: string;
  readonly phase: LinePhase;
}

/** op kind → [resource word, word while it runs, word once done]. */
const OPS: Readonly<Record<string, readonly [string, string, string]>> = {
  'create-network': ['Network', 'Creating', 'Created'],
  'create-volume': ['Volume', 'Creating', 'Created'],
  'create-container': ['Container', 'Creating', 'Created'],
  recreate: ['Container', 'Recreate', 'Recreated'],
  start: ['Container', 'Starting', 'Started'],
  stop: ['Container', 'Stopping', 'Stopped'],
  remove: ['Container', 'Removing', 'Removed'],
  kill: ['Container', 'Killing', 'Killed'],
  pause: ['Container', 'Pausing', 'Paused'],
  unpause: ['Container', 'Unpausing', 'Unpaused'],
  'remove-network': ['Network', 'Removing', 'Removed'],
  'remove-volume': ['Volume', 'Removing', 'Removed'],
  pull: ['Image', 'Pulling', 'Pulled'],
  build: ['Service', 'Building', 'Built'],
};

const READY = { waiting: 'Waiting', healthy: 'Healthy', unhealthy: 'Unhealthy', exited: 'Exited' } as const;

const line = (subject: string, status: string, phase: LinePhase): ProgressLine => ({
  key: subject,
  subject,
  status,
  phase,
});

/** A build step as BuildKit names it in a compose build: `[web build 2/5] COPY . .`. */
export function stepSubject(service: string, label: string): string {
  return label.startsWith('[') ? `[${service} ${label.slice(1)}` : `[${service}] ${label}`;
}

export function progressLine(e: EngineEvent): ProgressLine | undefined {
  switch (e.kind) {
    case 'op-start': {
      const [what, doing] = OPS[e.op] ?? ['', e.op];
      return line(`${what} ${e.target}`.trim(), doing, 'active');
    }
    case 'op-done': {
      const [what, , done] = OPS[e.op] ?? ['', '', e.op];
      return line(`${what} ${e.target}`.trim(), done, 'done');
    }
    case 'op-failed':
      return line(`${OPS[e.op]?.[0] ?? ''} ${e.target}`.trim(), 'Error', 'failed');
    case 'pull':
      return line(`Image ${e.image}`, 'Pulling', 'active');
    case 'container-state': {
      const phase = e.state === 'waiting' ? 'active' : e.state === 'unhealthy' ? 'failed' : 'done';
      return line(`Container ${e.target}`, READY[e.state], phase);
    }
    case 'build-step': {
      const subject = stepSubject(e.service, e.label);
      const status = e.state === 'cached' ? 'CACHED' : e.state === 'done' ? 'DONE' : '';
      return { key: `step ${e.service}#${e.step}`, subject, status, phase: e.state === 'started' ? 'active' : 'done' };
    }
    default:
      return undefined;
  }
}
