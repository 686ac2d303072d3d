// COPY --from=STAGE|IMAGE: the source filesystem is a stack of layers. It is mounted read-only
// (overlay) in a mount namespace of its own that dies with the copy, so no mount can outlive a
// killed build; `cp -a` copies from it into the fresh layer directory. A source whose path
// resolves outside the mounted root (a symlink on the way) is refused.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import type { CopyInstruction } from '../dockerfile/types.ts';
import { destination } from './copy-step.ts';
import { ensureDirs } from './new-layer.ts';
import { lookup, resolveOwner } from './layer-stack.ts';

const exec = promisify(execFile);

// $1 lowerdir option, $2 mount point, $3 layer dir, $4 dest (rel), $5 into-dir flag, $6 uid:gid or '',
// $7 chmod or '', then the sources (relative to the root; globs expanded by this shell inside it).
const SCRIPT = `set -e
lower=$1; m=$2; layer=$3; dest=$4; intodir=$5; owner=$6; mode=$7; shift 7
case "$lower" in *:*) mount -t overlay -o "ro,lowerdir=$lower" overlay "$m";; *) mount --bind -o ro "$lower" "$m";; esac
cd "$m"
n=0
for pat in "$@"; do
  found=0
  for s in $pat; do
    [ -e "$s" ] || [ -L "$s" ] || continue
    found=1
    r=$(readlink -f -- "$s")
    case "$r" in "$m"|"$m"/*) ;; *) echo "source $s resolves outside the stage's filesystem" >&2; exit 3;; esac
    if [ -d "$s" ] && [ ! -L "$s" ]; then t="$layer/$dest"; mkdir -p "$t"; cp -a -- "$s"/. "$t"/
    elif [ "$intodir" = 1 ]; then t="$layer/$dest/$(basename -- "$s")"; cp -a -- "$s" "$t"
    else t="$layer/$dest"; cp -a -- "$s" "$t"; fi
    if [ -n "$owner" ]; then chown -hR "$owner" "$t"; fi
    if [ -n "$mode" ]; then chmod -R "$mode" "$t"; fi
  done
  [ $found = 1 ] || { echo "$pat: not found" >&2; exit 4; }
done
`;

export async function copyFromLayers(
  layer: string,
  ins: CopyInstruction,
  from: readonly string[],
  stack: readonly string[],
  workdir: string,
  fromName: string,
): Promise<void> {
  if (from.length === 0) throw new Error(`--from=${fromName}: the source has no filesystem (scratch)`);
  const dest = destination(ins.dest, workdir);
  const destRel = dest.replace(/^\/+|\/+$/g, '');
  const sources = ins.sources.flatMap((s) =>
    s.kind === 'path' ? [posix.normalize(`/${s.path}`).slice(1) || '.'] : [],
  );
  const many = sources.length > 1 || sources.some((p) => /[*?[]/.test(p));
  const existing = await lookup(stack, destRel);
  const intoDir = dest.endsWith('/') || many || existing?.stat.isDirectory() === true;
  const owner = ins.chown ? await resolveOwner(stack, ins.chown) : { uid: 0, gid: 0 };
  if (intoDir) await ensureDirs(layer, stack, destRel, owner);
  else await ensureDirs(layer, stack, posix.dirname(`/${destRel}`).slice(1));
  const mnt = await mkdtemp(join(tmpdir(), 'gantry-copy-from-'));
  try {
    const lower = [...from].reverse().join(':');
    await exec('unshare', [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      SCRIPT,
      'sh',
      lower,
      mnt,
      layer,
      destRel,
      intoDir ? '1' : '0',
      ins.chown ? `${owner.uid}:${owner.gid}` : '',
      ins.chmod ?? '',
      ...sources,
    ]);
  } catch (e) {
    const why = (e as { stderr?: string }).stderr?.trim() || (e as Error).message;
    throw new Error(`--from=${fromName}: ${why}`, { cause: e });
  } finally {
    await rm(mnt, { recursive: true, force: true });
  }
}
