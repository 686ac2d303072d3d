// The attached-mode flags of `up` (which logs to stream, when to abort, whose exit code to
// return), their incompatibilities as Compose states them, and the services they select.
import { Option, type Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import type { AttachRequest, Project } from '../../engine/index.ts';
import { attachedRenderer } from '../render/attached.ts';
import { requireServices } from './scale-args.ts';

export interface AttachFlags {
  detach?: boolean;
  wait?: boolean;
  abortOnContainerExit?: boolean;
  abortOnContainerFailure?: boolean;
  exitCodeFrom?: string;
  attach: string[];
  noAttach: string[];
  attachDependencies?: boolean;
  timestamps?: boolean;
  color: boolean;
  logPrefix: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function addAttachOptions(cmd: Command): void {
  // A `--no-` option that takes a value, not the negation of --attach: commander must not pair them.
  const noAttach = new Option('--no-attach <service>', 'do not stream the logs of SERVICE (repeatable)')
    .argParser(collect)
    .default([]);
  noAttach.negate = false;
  cmd
    .option('--abort-on-container-exit', 'stop all containers when any container exits (incompatible with -d)')
    .option('--abort-on-container-failure', 'stop all containers when any container exits with a non-zero code')
    .option('--exit-code-from <service>', "return SERVICE's exit code (implies --abort-on-container-exit)")
    .option('--attach <service>', 'stream only the logs of SERVICE (repeatable)', collect, [])
    .addOption(noAttach)
    .option('--attach-dependencies', "also stream the dependencies' logs")
    .option('--timestamps', 'show timestamps')
    .option('--no-color', 'monochrome output')
    .option('--no-log-prefix', 'do not print the container prefix in the logs');
}

export function checkAttachFlags(f: AttachFlags): void {
  const abortOnExit = f.abortOnContainerExit === true || (f.exitCodeFrom !== undefined && !f.abortOnContainerFailure);
  if (abortOnExit && f.abortOnContainerFailure)
    throw new UsageError('--abort-on-container-failure cannot be combined with --abort-on-container-exit');
  if (f.wait && (abortOnExit || f.abortOnContainerFailure || f.attach.length > 0 || f.attachDependencies)) {
    throw new UsageError(
      '--wait cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach or --attach-dependencies',
    );
  }
  if (f.detach && (abortOnExit || f.abortOnContainerFailure || f.attach.length > 0 || f.attachDependencies)) {
    throw new UsageError(
      '--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach or --attach-dependencies',
    );
  }
  if (f.attach.length > 0 && f.attachDependencies)
    throw new UsageError('--attach cannot be combined with --attach-dependencies');
}

/** The flags → the engine's attach request (which services' logs show and whose exits count). */
export function attachRequest(
  project: Project,
  services: readonly string[],
  f: AttachFlags,
  signal: AbortSignal,
  color = false,
): AttachRequest {
  requireServices(project, [...f.attach, ...f.noAttach, ...(f.exitCodeFrom ? [f.exitCodeFrom] : [])]);
  const abortOn = f.abortOnContainerFailure ? 'failure' : f.abortOnContainerExit || f.exitCodeFrom ? 'exit' : undefined;
  const render = attachedRenderer({ timestamps: f.timestamps === true, color, prefix: f.logPrefix });
  return {
    services,
    attach: f.attach,
    noAttach: f.noAttach,
    attachDependencies: f.attachDependencies === true,
    ...(abortOn ? { abortOn } : {}),
    ...(f.exitCodeFrom ? { exitCodeFrom: f.exitCodeFrom } : {}),
    signal,
    onEvent: render,
  };
}
