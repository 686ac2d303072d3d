// Starting a project's supervisor process: which entry runs (the bundle through its code cache, tsc's
// output, or main.ts under tsx in tests), with which V8 flags and environment, detached from the caller.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packagePath } from '../common/package-root.ts';
import { SUPERVISOR_V8_FLAGS } from './v8-flags.ts';
import type { SupervisorFiles } from './files.ts';
import { mkdirPrivate, PRIVATE_FILE } from '../common/private-files.ts';

/**
 * Under tsx (tests) the entry is main.ts beside this file and needs the loader; otherwise it is
 * the build's bundle dist/supervisor.cjs run through its code cache (or, without the bundle, the
 * tsc output dist/supervisor/main.js), also when this code runs inside the CLI bundle
 * (dist/gantry.cjs), whose import.meta.url is the bundle's: hence the package-root lookup.
 */
function entry(): readonly string[] {
  const self = fileURLToPath(import.meta.url);
  const flags = (process.env['GANTRY_SUPERVISOR_FLAGS'] ?? SUPERVISOR_V8_FLAGS).split(' ').filter(Boolean);
  if (!self.endsWith('.ts')) {
    const bundle = packagePath('dist', 'supervisor.cjs');
    if (existsSync(bundle)) return [...flags, packagePath('bin', 'cached-script.cjs'), bundle];
    return [...flags, packagePath('dist', 'supervisor', 'main.js')];
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [...flags, '--import', tsx, join(dirname(self), 'main.ts')];
}

/**
 * The caller's environment without NODE_EXTRA_CA_CERTS: Node reads and parses that file before it
 * runs a line (≈ 85 ms of CPU per start with Debian's CA bundle on a 2-core machine, measured),
 * and the supervisor opens no TLS connection (health probes run in the containers; DNS and port
 * forwarding are plain UDP/TCP).
 */
function supervisorEnv(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _certs, ...env } = process.env;
  return env;
}

export function spawnSupervisor(f: SupervisorFiles, warm = false): number {
  mkdirPrivate(f.dir);
  const out = openSync(f.log, 'a', PRIVATE_FILE);
  try {
    // detached = setsid: the supervisor must not die with the caller's process group (pitfall 19).
    const child = spawn(process.execPath, [...entry(), f.dir, ...(warm ? ['--warm'] : [])], {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: '/',
      env: supervisorEnv(),
    });
    child.unref();
    return child.pid ?? 0;
  } finally {
    closeSync(out);
  }
}
