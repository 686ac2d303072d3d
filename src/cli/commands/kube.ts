// `gantry kube generate`: the project → Kubernetes manifests (stdout, one file, one file per
// object, a kustomization or a Helm chart). Fields that do not map are listed on stderr.
import type { Command } from 'commander';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { cliIo } from '../io.ts';
import { loadOptionsFor } from '../load-options.ts';
import { registerKubePlay } from './kube-play.ts';

interface GenerateFlags {
  output?: string;
  format: string;
  namespace?: string;
  serviceType: string;
  ingress?: string;
  storageClass?: string;
  imageRegistry?: string;
  allowHostpath?: boolean;
  secretsAsRefs?: boolean;
  strict?: boolean;
  helm?: boolean;
  kustomize?: boolean;
  waitImage?: string;
}
const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

export function registerKubeCommands(program: Command): void {
  const kube = program.command('kube').description('export the project to Kubernetes');
  const gen = kube
    .command('generate')
    .description('write Kubernetes manifests for the project (or the named services)')
    .argument('[service...]')
    .option('-o, --output <path>', 'a file, or a directory (one file per object); default: stdout')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--namespace <name>', 'set metadata.namespace on every object')
    .option(
      '--service-type <type>',
      'type of the Services of published ports: ClusterIP, NodePort or LoadBalancer',
      'ClusterIP',
    )
    .option('--ingress <host>', 'also emit an Ingress for the published services under this host')
    .option('--storage-class <class>', 'storageClassName of the PersistentVolumeClaims')
    .option('--image-registry <registry>', 'prefix every image with this registry')
    .option('--allow-hostpath', 'turn bind mounts into hostPath volumes instead of refusing them')
    .option('--secrets-as-refs', 'emit no Secret objects, only references to Secrets created apart')
    .option('--wait-image <image>', 'image of the init containers that wait for healthy dependencies', 'busybox:1.36')
    .option('--strict', 'fail (exit 1) when a field cannot be carried over')
    .option('--helm', 'write a Helm chart to the -o directory')
    .option('--kustomize', 'write one file per object and a kustomization.yaml to the -o directory');
  gen.action(
    runCommand(async (_ctx, services: string[], flags: GenerateFlags) => generateAction(gen, services, flags)),
  );
  registerKubePlay(kube);
}

async function generateAction(cmd: Command, services: string[], flags: GenerateFlags): Promise<void> {
  if (flags.format !== 'yaml' && flags.format !== 'json')
    throw new UsageError(`unknown format "${flags.format}" (yaml or json)`);
  const serviceType = TYPES.find((t) => t === flags.serviceType);
  if (!serviceType) throw new UsageError(`unknown service type "${flags.serviceType}" (${TYPES.join(', ')})`);
  if (flags.helm && flags.kustomize) throw new UsageError('--helm and --kustomize exclude each other');
  if ((flags.helm || flags.kustomize) && flags.output === undefined)
    throw new UsageError('--helm and --kustomize need -o DIR');
  const kube = await import('../../kube/index.ts'); // loaded only when exporting
  const project = await (await import('../../engine/index.ts')).loadProject(loadOptionsFor(cmd));
  for (const w of project.warnings) cliIo().stderr(`WARN: ${w}\n`);
  const out = kube.generate(project, {
    services,
    serviceType,
    allowHostpath: flags.allowHostpath === true,
    secretsAsRefs: flags.secretsAsRefs === true,
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.ingress !== undefined ? { ingressHost: flags.ingress } : {}),
    ...(flags.storageClass !== undefined ? { storageClass: flags.storageClass } : {}),
    ...(flags.imageRegistry !== undefined ? { imageRegistry: flags.imageRegistry } : {}),
    ...(flags.waitImage !== undefined ? { waitImage: flags.waitImage } : {}),
  });
  for (const w of out.warnings) cliIo().stderr(`WARN: ${w}\n`);
  if (flags.strict && out.warnings.length) {
    throw new ConfigError(
      `kube generate --strict: ${out.warnings.length} field(s) not carried over (listed above); nothing written`,
    );
  }
  kube.validateObjects(out.objects);
  const format = flags.format;
  if (flags.output === undefined) return void cliIo().stdout(kube.renderAll(out.objects, format));
  const target = resolve(cliIo().cwd(), flags.output);
  const files = flags.helm
    ? kube.helmFiles(project, out.objects)
    : flags.kustomize
      ? kube.kustomizeFiles(out.objects, flags.namespace)
      : isDirectory(flags.output, target)
        ? kube.renderFiles(out.objects, format)
        : undefined;
  if (!files) {
    mkdirSync(dirname(target), { recursive: true });
    return void writeFileSync(target, kube.renderAll(out.objects, format));
  }
  for (const [name, text] of files) {
    mkdirSync(dirname(join(target, name)), { recursive: true });
    writeFileSync(join(target, name), text);
  }
}

function isDirectory(written: string, target: string): boolean {
  if (written.endsWith('/')) return true;
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}
