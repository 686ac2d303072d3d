// The container labels gantry sets and reads back (Compose's keys, so tools that know Compose
// read them too). `up` writes them; `ps`, `logs` and orphan detection find containers by them.
export const LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  configFiles: 'com.docker.compose.project.config_files',
  workingDir: 'com.docker.compose.project.working_dir',
  oneoff: 'com.docker.compose.oneoff',
} as const;
