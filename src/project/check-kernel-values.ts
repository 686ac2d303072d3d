// Values a service hands to the kernel or writes into its container's /etc files, checked where
// the file:line:col is known: hostname and domainname (RFC 1123), sysctl names, working_dir and
// mount and tmpfs targets (absolute), extra_hosts, dns, dns_search, dns_opt
// (no control character can add a line to /etc/hosts or resolv.conf), and no NUL in a command or
// the environment. The runtime checks the same again before it writes its plan.
import { isIP } from 'node:net';
import { hasControlChar, isDnsName, isHostname, isSysctlName, quoted } from '../common/host-names.ts';
import type { Project, ServiceConfig } from './model.ts';
import type { KeyPath } from './raw.ts';

type Fail = (path: KeyPath, detail: string) => never;

const DNS_OPTION = /^[A-Za-z0-9_.-]+(:[0-9]+)?$/; // ndots:2, timeout:1, use-vc, edns0

const absolute = (p: string): boolean => p.startsWith('/') && !p.includes('\0');
const pathProblem = (p: string): string => (p.includes('\0') ? 'contains a NUL byte' : 'must be an absolute path');

export function checkKernelValues(project: Project, fail: Fail): void {
  for (const [name, svc] of Object.entries(project.services)) {
    const at = (...keys: (string | number)[]): KeyPath => ['services', name, ...keys];
    checkNames(svc, at, fail);
    checkPaths(svc, at, fail);
    checkResolver(svc, at, fail);
    const nul = (v: unknown): boolean => typeof v === 'string' && v.includes('\0');
    for (const key of ['command', 'entrypoint'] as const) {
      const i = (svc[key] ?? []).findIndex(nul);
      if (i >= 0) fail(at(key, i), 'contains a NUL byte');
    }
    for (const [k, v] of Object.entries(svc.environment))
      if (nul(k) || nul(v)) fail(at('environment', k), 'contains a NUL byte');
    if (svc.user !== undefined && hasControlChar(svc.user))
      fail(at('user'), `${quoted(svc.user)} contains a control character`);
  }
}

function checkNames(svc: ServiceConfig, at: (...k: (string | number)[]) => KeyPath, fail: Fail): void {
  if (svc.hostname !== undefined && !isHostname(svc.hostname)) {
    fail(
      at('hostname'),
      `${quoted(svc.hostname)} is not a valid hostname (RFC 1123: letters, digits, inner hyphens, dots; 64 at most)`,
    );
  }
  if (svc.domainname !== undefined && !isHostname(svc.domainname)) {
    fail(at('domainname'), `${quoted(svc.domainname)} is not a valid domain name (RFC 1123; 64 at most)`);
  }
  for (const [k, v] of Object.entries(svc.sysctls ?? {})) {
    if (!isSysctlName(k))
      fail(at('sysctls', k), `${quoted(k)} is not a sysctl name ([a-z0-9_-] parts joined by . or /)`);
    if (hasControlChar(v, true)) fail(at('sysctls', k), `the value ${quoted(v)} contains a control character`);
  }
}

function checkPaths(svc: ServiceConfig, at: (...k: (string | number)[]) => KeyPath, fail: Fail): void {
  if (svc.working_dir !== undefined && !absolute(svc.working_dir))
    fail(at('working_dir'), `${quoted(svc.working_dir)} ${pathProblem(svc.working_dir)}`);
  svc.volumes.forEach((v, i) => {
    if (!absolute(v.target))
      fail(at('volumes', i), `the target ${quoted(v.target)} ${pathProblem(v.target)} in the container`);
  });
  // Options were parsed (and unknown ones refused) at normalize: service-refs.ts.
  svc.refs.tmpfs.forEach(({ target }, i) => {
    if (!absolute(target)) fail(at('tmpfs', i), `the target ${quoted(target)} ${pathProblem(target)} in the container`);
  });
}

function checkResolver(svc: ServiceConfig, at: (...k: (string | number)[]) => KeyPath, fail: Fail): void {
  (svc.extra_hosts ?? []).forEach((h, i) => {
    if (!isDnsName(h.host)) fail(at('extra_hosts', i), `${quoted(h.host)} is not a valid host name`);
    if (h.ip !== 'host-gateway' && !isIP(h.ip)) fail(at('extra_hosts', i), `${quoted(h.ip)} is not an IP address`);
  });
  (svc.dns ?? []).forEach((s, i) => {
    if (!isIP(s)) fail(at('dns', i), `${quoted(s)} is not an IP address`);
  });
  (svc.dns_search ?? []).forEach((s, i) => {
    if (!isDnsName(s)) fail(at('dns_search', i), `${quoted(s)} is not a valid domain name`);
  });
  (svc.dns_opt ?? []).forEach((s, i) => {
    if (!DNS_OPTION.test(s)) fail(at('dns_opt', i), `${quoted(s)} is not a resolver option (name or name:number)`);
  });
}
