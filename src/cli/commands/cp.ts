// `gantry cp SERVICE:SRC DEST` / `gantry cp SRC SERVICE:DEST`: files between a service's
// container and the host.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { runCommand } from '../run-command.ts';
import { openCliProject } from './open-project.ts';

interface CpFlags {
  index?: string;
  archive?: boolean;
  followLink?: boolean;
  all?: boolean;
}

/** SERVICE:PATH, unless it reads as a local path (absolute or ./relative), as docker decides. */
export function splitRef(arg: string): { service: string; path: string } | undefined {
  if (arg.startsWith('/') || arg.startsWith('.')) return undefined;
  const m = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*):(.*)$/.exec(arg);
  return m ? { service: m[1]!, path: m[2] === '' ? '/' : m[2]! } : undefined;
}

export function registerCp(program: Command): void {
  const cmd = program
    .command('cp')
    .description('copy files/folders between a service container and the local filesystem')
    .argument('<source>', 'SERVICE:SRC_PATH or a local path')
    .argument('<dest>', 'a local path or SERVICE:DEST_PATH')
    .option('--index <n>', 'index of the container if the service has multiple replicas')
    .option('-a, --archive', 'archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'always follow symbol link in SRC_PATH')
    .option('--all', 'include containers created by the run command (accepted, ignored)');
  cmd.action(
    runCommand(async (_ctx, source: string, dest: string, f: CpFlags) => {
      const from = splitRef(source);
      const to = splitRef(dest);
      if (from && to) throw new UsageError('copying between containers is not supported');
      if (!from && !to) throw new UsageError('must specify at least one container source');
      if (source === '-' || dest === '-') throw new UsageError('cp: tar streams on stdin/stdout (-) are not supported');
      const index = f.index === undefined ? undefined : Number(f.index);
      if (index !== undefined && !(Number.isInteger(index) && index > 0))
        throw new UsageError(`--index: "${f.index}" is not a container number`);
      const handle = await openCliProject(cmd);
      const ref = (from ?? to)!;
      await handle.cp({
        service: ref.service,
        ...(index !== undefined ? { index } : {}),
        direction: from ? 'from' : 'to',
        containerPath: ref.path,
        hostPath: from ? dest : source,
        archive: f.archive === true,
        followLink: f.followLink === true,
      });
      return 0;
    }),
  );
}
