// The runtime's C helper for this architecture (present and runnable: its usage line answers),
// and whether gantry runs as root (rootless mode is not supported yet).
import { PREBUILT_ARCHES, findShimBinary } from '../../common/shim-binary.ts';
import type { DoctorCheck } from './check.ts';
import type { DoctorProbe } from './probe.ts';

export function shimCheck(p: DoctorProbe): DoctorCheck {
  const shim = findShimBinary({ arch: p.arch });
  const name = 'shim';
  if (shim === undefined) {
    const cc = p.which('cc') ?? p.which('gcc');
    const prebuilt = PREBUILT_ARCHES.includes(p.arch);
    return {
      name,
      required: true,
      ok: !prebuilt && cc !== undefined,
      detail: prebuilt
        ? `no gantry-shim for linux-${p.arch} in the package`
        : `no prebuilt gantry-shim for linux-${p.arch}; ` +
          (cc ? `it is compiled with ${cc} on first use` : 'no C compiler to build it'),
      fix: prebuilt
        ? 'reinstall gantry (the package carries it), or build it: node scripts/build.mjs'
        : 'install gcc and libc6-dev (Debian: apt-get install gcc libc6-dev)',
    };
  }
  // With no plan the shim prints its usage line and exits 125: proof it executes on this CPU.
  const r = p.run(shim, []);
  const ok = r.status === 125 && r.output.includes('usage: gantry-shim');
  return {
    name,
    required: true,
    ok,
    detail: ok ? shim : `${shim} does not run here (${r.status === undefined ? 'cannot execute' : `exit ${r.status}`})`,
    fix: `reinstall gantry for linux-${p.arch}`,
  };
}

export function rootCheck(p: DoctorProbe): DoctorCheck {
  return {
    name: 'root',
    required: true,
    ok: p.euid === 0,
    detail: p.euid === 0 ? 'running as root' : `running as uid ${p.euid}`,
    fix: 'run gantry as root or with sudo; rootless mode is not supported yet',
  };
}
