// A busybox-static root filesystem for runtime tests: applets as RELATIVE symlinks (busybox
// --install writes absolute host paths), /etc/passwd and /etc/group with a user 1000. Built once
// and shared: a build goes to a private temp dir, then an atomic rename publishes it, so
// parallel test files never see half a rootfs. Treat it as read-only (use it as a lower layer).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
  statSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUSYBOX = '/bin/busybox';
const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
const GROUP = 'root:x:0:\nuser:x:1000:\nextra:x:2000:user\nnogroup:x:65534:\n';

export function busyboxRootfs(): string {
  const st = statSync(BUSYBOX);
  const dir = join(tmpdir(), `gantry-test-rootfs-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const build = `${dir}.build-${process.pid}`;
  rmSync(build, { recursive: true, force: true });
  for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'home/user', 'usr/bin', 'var'])
    mkdirSync(join(build, d), { recursive: true });
  chmodSync(join(build, 'tmp'), 0o1777);
  copyFileSync(BUSYBOX, join(build, 'bin/busybox'));
  chmodSync(join(build, 'bin/busybox'), 0o755);
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(build, 'bin', a));
  symlinkSync('bin', join(build, 'sbin'));
  writeFileSync(join(build, 'etc/passwd'), PASSWD);
  writeFileSync(join(build, 'etc/group'), GROUP);
  writeFileSync(join(build, '.complete'), '');
  try {
    renameSync(build, dir);
  } catch {
    rmSync(build, { recursive: true, force: true }); // another test file won the race
  }
  return dir;
}
