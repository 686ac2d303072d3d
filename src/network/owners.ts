// Which state root owns a host-global object, recorded on or beside the object itself so it
// outlives the root: a bridge carries "gantry:<network dir>" as its link alias; a network
// namespace has `/run/gantry/netns/<name>` holding the same. An owner is dead when its
// directory is gone and no process of it runs: only then may anyone sweep its objects.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const OWNER_PREFIX = 'gantry:';
export const NETNS_OWNERS = '/run/gantry/netns';

/** The alias line for a bridge, when the owner fits an alias (no blanks/quotes, IFALIASZ). */
export function ownerAliasLine(bridge: string, owner: string): readonly string[] {
  return /^[^\s"'\\]{1,240}$/.test(owner) ? [`link set ${bridge} alias ${OWNER_PREFIX}${owner}`] : [];
}

export function recordNetnsOwner(name: string, owner: string): void {
  mkdirSync(NETNS_OWNERS, { recursive: true });
  writeFileSync(join(NETNS_OWNERS, name), owner);
}

export const forgetNetnsOwner = (name: string): void => rmSync(join(NETNS_OWNERS, name), { force: true });

/** name → owner of every recorded namespace. */
export function netnsOwners(): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(NETNS_OWNERS);
  } catch {}
  for (const n of names) {
    try {
      out.set(n, readFileSync(join(NETNS_OWNERS, n), 'utf8'));
    } catch {}
  }
  return out;
}

/**
 * The paths a process of this owner would mention: the network dir, and the state root above
 * it when the dir has the standard layout (`<root>/networks`). Never a bare parent like /tmp.
 */
function ownerPaths(owner: string): readonly string[] {
  return basename(owner) === 'networks' ? [owner, dirname(owner)] : [owner];
}

/** Owners (of the given) that still have a process: GANTRY_ROOT, command line or cwd naming them. */
export function ownersWithProcesses(owners: readonly string[]): ReadonlySet<string> {
  const alive = new Set<string>();
  if (owners.length === 0) return alive;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let text: string;
    try {
      const cwd = (() => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`);
        } catch {
          return '';
        }
      })();
      text = `${readFileSync(`/proc/${pid}/cmdline`, 'utf8')}\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}\0${cwd}\0`;
    } catch {
      continue; // gone meanwhile
    }
    for (const o of owners) {
      if (
        ownerPaths(o).some(
          (p) => text.includes(`GANTRY_ROOT=${p}\0`) || text.includes(`${p}/`) || text.includes(`${p}\0`),
        )
      )
        alive.add(o);
    }
  }
  return alive;
}

/** A process (a container of the dead root, say) still has the namespace as its network. */
export function netnsInUse(name: string): boolean {
  let ns: { dev: number; ino: number };
  try {
    ns = statSync(`/run/netns/${name}`);
  } catch {
    return false;
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const s = statSync(`/proc/${pid}/ns/net`);
      if (s.ino === ns.ino && s.dev === ns.dev) return true;
    } catch {}
  }
  return false;
}

/** Owners whose directory is gone and whose processes are all gone. */
export function deadOwners(owners: Iterable<string>, self: string): ReadonlySet<string> {
  const missing = [...new Set(owners)].filter((o) => o !== self && o.startsWith('/') && !existsSync(o));
  const alive = ownersWithProcesses(missing);
  return new Set(missing.filter((o) => !alive.has(o)));
}
