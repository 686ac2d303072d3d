// Fields Docker applies and gantry cannot, where running without them is still right (Docker's
// own behaviour on a host without SELinux/AppArmor or without a quota-capable storage driver):
// one warning per service and field, and the containers run.
import type { Project } from './model.ts';
import { parseSecurityOpt } from './security-opt.ts';
import { FIELD_STATUS } from './unsupported.ts';

export function fieldWarnings(project: Pick<Project, 'services'>): string[] {
  return Object.values(project.services).flatMap((s) => {
    const out: string[] = [];
    (s.security_opt ?? []).forEach((opt, i) => {
      const p = parseSecurityOpt(opt);
      if (typeof p !== 'string' && p.kind === 'not-applied') {
        out.push(`services.${s.name}.security_opt[${i}]: "${opt}" not applied: gantry has no ${p.what} support`);
      }
    });
    if (s.storage_opt && Object.keys(s.storage_opt).length > 0) {
      out.push(`services.${s.name}.storage_opt: not applied: ${FIELD_STATUS.services.storage_opt!.note}`);
    }
    return out;
  });
}
