// The ARGs every build knows without a declaration: the proxy variables (passed to RUN, kept out
// of history and cache keys) and the platform variables of the host (BuildKit's automatic args).

export const PROXY_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
]);

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string | undefined;
}

export const formatPlatform = (p: Platform): string => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

const NODE_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function hostPlatform(): Platform {
  const architecture = NODE_ARCH[process.arch] ?? process.arch;
  return architecture === 'arm' ? { os: 'linux', architecture, variant: 'v7' } : { os: 'linux', architecture };
}

/** BUILDPLATFORM, TARGETOS... : gantry builds for the host only, so build and target are the same. */
export function platformArgs(p: Platform): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const prefix of ['BUILD', 'TARGET']) {
    m.set(`${prefix}PLATFORM`, formatPlatform(p));
    m.set(`${prefix}OS`, p.os);
    m.set(`${prefix}ARCH`, p.architecture);
    m.set(`${prefix}VARIANT`, p.variant ?? '');
  }
  return m;
}

/** `linux/amd64`, `linux/x86_64`, `amd64` name the same platform. */
export function samePlatform(spec: string, p: Platform): boolean {
  const parts = spec.toLowerCase().split('/');
  const alias: Readonly<Record<string, string>> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64' };
  const [os, arch, variant] = parts.length === 1 ? ['linux', parts[0], undefined] : parts;
  if (os !== p.os || (alias[arch ?? ''] ?? arch) !== p.architecture) return false;
  return variant === undefined || variant === (p.variant ?? (p.architecture === 'arm64' ? 'v8' : ''));
}
