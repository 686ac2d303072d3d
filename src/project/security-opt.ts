// Docker's security_opt words, read once for the loader (errors at file:line:col, warnings) and
// the engine (what the container gets). Docker accepts `key=value` and the older `key:value`.
export type SecurityOpt =
  | { readonly kind: 'no-new-privileges'; readonly on: boolean }
  | { readonly kind: 'seccomp'; readonly profile: string } // "unconfined" or a file path
  | { readonly kind: 'systempaths-unconfined' }
  /** SELinux labels and AppArmor profiles: Docker applies them, gantry has neither (warned). */
  | { readonly kind: 'not-applied'; readonly what: string };

/** The option, or an error text (Docker refuses an option it does not know). */
export function parseSecurityOpt(opt: string): SecurityOpt | string {
  const m = /^([a-z-]+)(?:[=:](.*))?$/s.exec(opt);
  const key = m?.[1];
  const value = m?.[2];
  if (key === 'no-new-privileges') {
    if (value === undefined || value === 'true') return { kind: 'no-new-privileges', on: true };
    if (value === 'false') return { kind: 'no-new-privileges', on: false };
    return `"${opt}": no-new-privileges takes true or false`;
  }
  if (key === 'seccomp')
    return value ? { kind: 'seccomp', profile: value } : `"${opt}": seccomp needs a profile file or unconfined`;
  if (key === 'systempaths' && value === 'unconfined') return { kind: 'systempaths-unconfined' };
  if ((key === 'label' || key === 'apparmor') && value)
    return { kind: 'not-applied', what: key === 'label' ? 'SELinux label' : 'AppArmor profile' };
  return `"${opt}" is not a security option (no-new-privileges, seccomp=, systempaths=unconfined, label=, apparmor=)`;
}
