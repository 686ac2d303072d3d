// `gantry kube play FILE... [--down]`: Kubernetes manifests → a Compose document (src/kube/play)
// → the normal project pipeline → the engine's up (detached, waiting for health) or down.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { runCommand } from '../run-command.ts';
import { cliIo } from '../io.ts';
import { progressChoice } from '../progress-choice.ts';

interface PlayFlags {
  down?: boolean;
  volumes?: boolean;
  wait: boolean;
  progress?: string;
}

export function registerKubePlay(kube: Command): void {
  const cmd = kube.command('play');
  cmd
    .description(
      'run Kubernetes manifests (Deployments, StatefulSets, Jobs, Pods, Services, PVCs, ConfigMaps, Secrets)',
    )
    .argument('<file...>')
    .option('--down', 'stop and remove what play started (named volumes stay)')
    .option('-v, --volumes', 'with --down: also remove the named volumes (PVCs)')
    .option('--no-wait', 'return once started, without waiting for health')
    .option('--progress <mode>', 'auto, tty, plain, json or quiet', 'auto')
    .action(
      runCommand(async (ctx, files: string[], f: PlayFlags) => {
        const { manifestsToCompose } = await import('../../kube/index.ts');
        const texts = files.map((file) => ({ file, text: readFileSync(resolve(cliIo().cwd(), file), 'utf8') }));
        const played = manifestsToCompose(texts);
        for (const n of played.notes) cliIo().stderr(`WARN: ${n}\n`);
        const [{ loadProject }, { openProject }, { engineRenderer }] = await Promise.all([
          import('../../engine/index.ts'),
          import('../../engine/index.ts'),
          import('../render/engine-progress.ts'),
        ]);
        const yaml = stringify(played.document, { lineWidth: 0 });
        const project = await loadProject({
          files: ['-'],
          envFiles: [],
          profiles: [],
          environment: { ...cliIo().env, ...played.environment },
          workingDir: cliIo().cwd(),
          projectName: played.name,
          readStdin: () => Promise.resolve(yaml),
        });
        for (const w of project.warnings) cliIo().stderr(`WARN: ${w}\n`);
        const r = await engineRenderer(progressChoice(cmd));
        const handle = await openProject(project, { emit: r.sink });
        if (f.down) {
          await r.run('Running', () => handle.down({ volumes: f.volumes ?? false, removeOrphans: true }));
        } else {
          await r.run('Running', () => handle.up({ wait: f.wait, removeOrphans: true, signal: ctx.signal }));
        }
        return 0;
      }),
    );
}
