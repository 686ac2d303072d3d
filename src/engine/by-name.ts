// The engine by project name alone, as Docker Compose's API takes a name where no compose file is
// read: `logs` (the name may come from -p), `ls`, and removing a oneoff, whose shim knows only the
// container's name. Nothing here needs the model; what does goes through openProject.
import { stateRoot } from '../common/state-root.ts';
import type { EngineOptions } from './project-handle.ts';
import type { LogLineOut } from './commands/stream-logs.ts';
import type { ProjectRow } from './commands/ls.ts';

export interface LogsRequest {
  readonly services?: readonly string[];
  readonly follow?: boolean;
  readonly tail?: number; // per container
  readonly since?: number; // epoch ms
  readonly until?: number;
  readonly signal?: AbortSignal;
  /** A promise holds the stream back until the consumer caught up (a slow pipe). */
  readonly onLine: (line: LogLineOut) => unknown;
}

export interface NamedProjectHandle {
  readonly name: string;
  /** The containers' logs interleaved by time; follows new lines and new containers with follow. */
  logs(req: LogsRequest): Promise<void>;
}

export function openProjectByName(name: string, o: EngineOptions = {}): NamedProjectHandle {
  return {
    name,
    async logs(req) {
      const [{ createRuntime }, { streamLogs }, { projectLogSources }, { reviveSupervisor }, { projectDir }] =
        await Promise.all([
          import('../runtime/index.ts'),
          import('./commands/stream-logs.ts'),
          import('./commands/log-sources.ts'),
          import('./supervision/revive-supervisor.ts'),
          import('./state.ts'),
        ]);
      const root = o.root ?? stateRoot();
      const rt = createRuntime({ root });
      await reviveSupervisor(rt, projectDir(root, name), o.emit);
      await streamLogs({ ...req, projectContainers: () => projectLogSources(rt, name, req.services ?? []) });
    },
  };
}

/** `gantry ls`: the projects of the state root (running ones unless all). */
export async function listProjectRows(o: EngineOptions & { all?: boolean } = {}): Promise<ProjectRow[]> {
  const [{ createRuntime }, { listProjects }] = await Promise.all([
    import('../runtime/index.ts'),
    import('./commands/ls.ts'),
  ]);
  return listProjects(createRuntime({ root: o.root ?? stateRoot() }), { all: o.all === true });
}

/**
 * `run --rm -d`'s clean-up once the program exited: the project is found from the container's own
 * labels (its compose files, name and directory), then removed with its networking under the lock.
 */
export async function removeOneOffByName(container: string, o: EngineOptions = {}): Promise<boolean> {
  const [{ createRuntime }, { LABELS }, { loadProject }, { openProject }] = await Promise.all([
    import('../runtime/index.ts'),
    import('./labels.ts'),
    import('../project/index.ts'),
    import('./project.ts'),
  ]);
  const labels = createRuntime({ root: o.root ?? stateRoot() }).state(container).labels;
  if (labels[LABELS.oneOff] !== 'True') return false; // only ever a oneoff
  const workingDir = labels[LABELS.workingDir];
  const project = await loadProject({
    files: (labels[LABELS.configFiles] ?? '').split(',').filter(Boolean),
    projectName: labels[LABELS.project],
    projectDirectory: workingDir,
    envFiles: [],
    profiles: [],
    environment: process.env,
    workingDir: workingDir ?? process.cwd(),
    readStdin: () => process.getBuiltinModule('node:stream/consumers').text(process.stdin),
  });
  await openProject(project, o).removeOneOff(container);
  return true;
}
