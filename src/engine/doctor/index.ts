// `gantry doctor`'s checks of the host: kernel features, cgroups, host tools, the shim, root.
export { runDoctor, type DoctorCheck, type DoctorReport } from './check.ts';
export { hostProbe, type DoctorProbe } from './probe.ts';
