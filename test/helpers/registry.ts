// A real registry for tests: Debian's docker-registry (distribution 2.8) on 127.0.0.1, storage
// in a temp dir, optional htpasswd basic auth; images pushed with skopeo. Stop it with stop()
// (kills the PID we started and removes the temp dir) from t.after. auth: 'token' runs the
// registry's real token mode against our token server (registry-token.ts).
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTokenServer, type TokenServer } from './registry-token.ts';

export interface TestRegistry {
  readonly host: string; // 127.0.0.1:PORT
  readonly storage: string; // filesystem storage root
  readonly creds?: { readonly username: string; readonly password: string };
  /** The token server, when started with auth: 'token'. */
  readonly tokens?: TokenServer;
  /** skopeo copy into the registry (async: the token server may live in this process). */
  push(src: string, repoTag: string, opts?: { all?: boolean }): Promise<void>;
  /** Path of a blob's data file inside the registry's storage. */
  blobFile(digest: string): string;
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log()}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200 || r.status === 401,
      () => false,
    );
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`docker-registry did not start: ${log()}`);
}

export async function startRegistry(
  opts: { auth?: 'htpasswd' | 'token'; allowAnonymous?: boolean } = {},
): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), `gantry-registry-${process.pid}-`));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const creds = opts.auth ? { username: 'gantry', password: `pw-${process.pid}` } : undefined;
  let auth = '';
  let tokens: TokenServer | undefined;
  if (opts.auth === 'token') {
    tokens = await startTokenServer(dir, creds!, opts.allowAnonymous);
    auth = `auth:\n  token:\n    realm: ${tokens.realm}\n    service: ${tokens.service}\n    issuer: ${tokens.issuer}\n    rootcertbundle: ${tokens.certFile}\n`;
  } else if (creds) {
    execFileSync('htpasswd', ['-Bbc', join(dir, 'htpasswd'), creds.username, creds.password], { stdio: 'ignore' });
    auth = `auth:\n  htpasswd:\n    realm: gantry-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  const storage = join(dir, 'storage');
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${auth}`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    await tokens?.close();
    const signal = (sig: NodeJS.Signals): void => {
      try {
        if (child.exitCode === null && child.pid) process.kill(child.pid, sig);
      } catch {
        /* exited meanwhile */
      }
    };
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      signal('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      signal('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUp(`http://${host}/v2/`, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host,
    storage,
    ...(creds ? { creds } : {}),
    ...(tokens ? { tokens } : {}),
    stop,
    async push(src, repoTag, o = {}) {
      const args = [
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        ...(o.all ? ['--all'] : []),
        ...(creds ? ['--dest-creds', `${creds.username}:${creds.password}`] : []),
      ];
      await execFileAsync('skopeo', [...args, src, `docker://${host}/${repoTag}`]);
    },
    blobFile(digest) {
      const hex = digest.slice(7);
      return join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    },
  };
}
