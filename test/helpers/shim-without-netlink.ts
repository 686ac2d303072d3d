// A gantry-shim as an older build is: without the `netlink` mode (nl11's executor, down12's deletes),
// compiled from this tree's sources with that mode's dispatch line cut out, and spawns of the real
// shim's `netlink` mode sent to it. For the tests of the `ip` fallback (network/netlink-ops.ts,
// network/netlink-delete.ts): that binary exits non-zero having printed nothing, as an old one does.
// Or as an nl11 build is: the mode without `--rules` (it names that as a bad op and does nothing).
import childProcess, { execFileSync } from 'node:child_process';
import { after, before } from 'node:test';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../../src/common/package-root.ts';

/** What an older build lacks: a source file's line (or part) and what stands there instead. */
interface Cut {
  readonly file: string;
  readonly line: RegExp;
  readonly by: string;
}

const WITHOUT: Readonly<Record<'netlink' | 'rules', Cut>> = {
  netlink: { file: 'gantry-shim.c', line: /^\s*if \(argc > 1 && !strcmp\(argv\[1\], "netlink"\)\).*$/m, by: '' },
  rules: { file: 'netlink.h', line: /rules = argc > 2 && !strcmp\(argv\[2\], "--rules"\)/, by: 'rules = 0' },
};

/** Builds the binary in a temp dir, which `dispose` removes. */
export function buildShimWithoutNetlink(lacking: 'netlink' | 'rules' = 'netlink'): {
  readonly path: string;
  readonly dispose: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-shim-old-'));
  const native = packagePath('native');
  for (const f of readdirSync(native).filter((n) => /\.[ch]$/.test(n))) copyFileSync(join(native, f), join(dir, f));
  const cut = WITHOUT[lacking];
  const text = readFileSync(join(dir, cut.file), 'utf8');
  if (!cut.line.test(text)) throw new Error(`${cut.file}: the ${lacking} line moved; update this helper`);
  writeFileSync(join(dir, cut.file), text.replace(cut.line, cut.by));
  execFileSync('gcc', ['-O2', '-static', '-o', join(dir, 'gantry-shim'), join(dir, 'gantry-shim.c')]);
  return { path: join(dir, 'gantry-shim'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** From now on, this process's spawns of `gantry-shim netlink …` run `shim` instead; returns the undo. */
export function redirectNetlinkSpawns(shim: string): () => void {
  const real = childProcess.spawn;
  childProcess.spawn = ((file: string, args: readonly string[], ...rest: unknown[]) => {
    const old = file.endsWith('/gantry-shim') && Array.isArray(args) && args[0] === 'netlink';
    return (real as (...a: unknown[]) => unknown)(old ? shim : file, args, ...rest);
  }) as typeof childProcess.spawn;
  syncBuiltinESMExports();
  return () => {
    childProcess.spawn = real;
    syncBuiltinESMExports();
  };
}

/** For a whole test file (root only): every `gantry-shim netlink` spawn runs a shim without the mode (or its --rules). */
export function useShimWithoutNetlink(lacking: 'netlink' | 'rules' = 'netlink'): void {
  let undo = (): void => undefined;
  let dispose = (): void => undefined;
  before(() => {
    if (process.getuid?.() !== 0) return;
    const old = buildShimWithoutNetlink(lacking);
    dispose = old.dispose;
    undo = redirectNetlinkSpawns(old.path);
  });
  after(() => (undo(), dispose()));
}
