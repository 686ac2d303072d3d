// A project loaded from compose text given inline (as `-f -` reads it), for unit tests that need
// a normalized model and nothing on disk.
import { loadProject } from '../../src/project/index.ts';
import type { Project } from '../../src/project/model.ts';

export function inlineProject(yaml: string, projectName = 'demo'): Promise<Project> {
  return loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/tmp',
    projectName,
    readStdin: async () => yaml,
  });
}
