// `gantry image build`: a thin wrapper over src/build's buildImage: flags → a BuildRequest, and
// a progress printer (one line per layer step with CACHED/DONE and its time; RUN output too
// with --progress plain; nothing with quiet or -q, which prints only the image id).
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { runCommand } from '../../run-command.ts';
import { UsageError } from '../../../common/errors.ts';
import { collect } from '../container/open-runtime.ts';
import { dockerfileFromStdin, namedContexts, parseAllow, parseBuildNetwork, parseSecret } from './build-flags.ts';

interface BuildOpts {
  readonly tag: string[];
  readonly file?: string;
  readonly buildArg: string[];
  readonly target?: string;
  readonly label: string[];
  readonly cache: boolean;
  readonly progress: string;
  readonly quiet?: boolean;
  readonly iidfile?: string;
  readonly secret: string[];
  readonly allow: string[];
  readonly network?: string;
  readonly pull?: boolean;
  readonly buildContext: string[];
  readonly cacheFrom: string[];
  readonly cacheTo: string[];
  /** --no-cache-filter (commander names a --no- option after what follows it). */
  readonly cacheFilter: string[];
}

function pairs(flag: string, list: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i === 0) throw new UsageError(`${flag} ${kv}: use KEY=VALUE`);
    if (i < 0) {
      const v = process.env[kv]; // --build-arg NAME takes our environment's value, as Docker
      if (v !== undefined) out.set(kv, v);
    } else out.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return out;
}

export function printer(mode: string, write: (s: string) => void) {
  let n = 0;
  const quiet = mode === 'quiet';
  return {
    start(label: string): number {
      n++;
      if (!quiet) write(`#${n} ${label}\n`);
      return n;
    },
    output(k: number, line: string): void {
      if (mode === 'plain') write(`#${k} ${line}\n`);
    },
    done(k: number, how: 'CACHED' | 'DONE', ms: number): void {
      if (!quiet) write(how === 'CACHED' ? `#${k} CACHED\n` : `#${k} DONE ${(ms / 1000).toFixed(1)}s\n`);
    },
  };
}

export function registerImageBuild(image: Command): void {
  image
    .command('build')
    .description('build an image from a Dockerfile')
    .argument('<context>', 'build context directory')
    .option('-t, --tag <name>', 'name[:tag] (repeatable)', collect, [])
    .option('-f, --file <path>', 'Dockerfile (default: CONTEXT/Dockerfile)')
    .option('--build-arg <K=V>', 'build-time variable (repeatable)', collect, [])
    .option('--target <stage>', 'build up to this stage')
    .option('--label <K=V>', 'image label (repeatable)', collect, [])
    .option('--no-cache', 'do not use the build cache')
    .option('--progress <mode>', 'auto, plain or quiet', 'auto')
    .option('-q, --quiet', 'print only the image id')
    .option('--iidfile <file>', 'write the image id to this file')
    .option('--secret <id=ID,src=FILE>', 'secret for RUN --mount=type=secret (repeatable)', collect, [])
    .option('--allow <entitlement>', 'network.host: let RUN --network=host use the host network', collect, [])
    .option('--network <mode>', 'network of RUN steps without --network: default, none or host')
    .option('--pull', 'pull every base image again')
    .option(
      '--build-context <name=value>',
      'named context: NAME=DIR or NAME=docker-image://REF (repeatable)',
      collect,
      [],
    )
    .option('--cache-from <type=local,src=dir>', 'import the build cache from a directory (repeatable)', collect, [])
    .option('--cache-to <type=local,dest=dir>', 'export the build cache to a directory (repeatable)', collect, [])
    .option('--no-cache-filter <stage>', 'run the steps of these stages again (repeatable)', collect, [])
    .action(
      runCommand(async (ctx, context: string, opts: BuildOpts) => {
        if (!['auto', 'plain', 'quiet', 'tty'].includes(opts.progress))
          throw new UsageError(`--progress ${opts.progress}: use auto, plain or quiet`);
        const { buildHostImage } = await import('../../../engine/image-build.ts');
        const mode = opts.quiet ? 'quiet' : opts.progress;
        const dockerfileText = dockerfileFromStdin(opts.file);
        const img = await buildHostImage({
          contextDir: context,
          dockerfile: dockerfileText === undefined ? opts.file : undefined,
          dockerfileText,
          secrets: opts.secret.map(parseSecret),
          allowHostNetwork: parseAllow(opts.allow),
          defaultNetwork: parseBuildNetwork(opts.network),
          pull: opts.pull ?? false,
          signal: ctx.signal,
          buildArgs: pairs('--build-arg', opts.buildArg),
          target: opts.target,
          labels: Object.fromEntries(pairs('--label', opts.label)),
          tags: opts.tag,
          noCache: !opts.cache,
          namedContexts: namedContexts(opts.buildContext),
          cacheFrom: opts.cacheFrom,
          cacheTo: opts.cacheTo,
          noCacheFilter: opts.cacheFilter,
          progress: printer(mode, (s) => process.stderr.write(s)),
          warn: (w) => process.stderr.write(`${w}\n`),
        });
        if (opts.iidfile) writeFileSync(opts.iidfile, img.id);
        if (opts.quiet) process.stdout.write(`${img.id}\n`);
        else
          process.stderr.write(`writing image ${img.id}${opts.tag.length ? ` naming ${opts.tag.join(', ')}` : ''}\n`);
        return 0;
      }),
    );
}
