// Interleaved A/B of two built trees (issue 20): a 60-service up -d / down of bench/stacks.mjs, and between
// them the supervisor's CPU (ms) and read calls (/proc/PID/io syscr) over an idle window with the stack up.
// NOHC=1: the services' healthcheck disabled (the supervisor's own cost, no probes); STRACE=1: `strace -c -f`
// of the supervisor over the window instead, its summary kept in /tmp/supervisor-ab-strace-<side>-<pair>.txt.
//   node bench/supervisor-ab.mjs A_TREE B_TREE [pairs=3] [idle seconds=0]     (root, both trees built)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const [A, B, PAIRS = '3', IDLE = '0'] = process.argv.slice(2);
const { stack } = await import(pathToFileURL(join(A, 'bench/stacks.mjs')).href);
const ARCHIVE = fileURLToPath(new URL('../test/fixtures/images/build/v1/busybox-docker.tar', import.meta.url));
const IMG = 'gantry-test/busybox:latest';
function run(repo, root, cwd, ...args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(repo, 'bin/gantry.js'), ...args], {
    cwd,
    env: { ...process.env, GANTRY_ROOT: root },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return Math.round(performance.now() - t0);
}
const side = (repo, tag) => {
  const root = mkdtempSync(join(tmpdir(), `gantry-supab-${tag}-`));
  const dir = join(root, 'p');
  mkdirSync(dir);
  let text = stack(`ab${tag}`, 60, { image: IMG, port: tag === 'a' ? 19771 : 19772 });
  if (process.env.NOHC) text = text.replaceAll('    init: true', '    init: true\n    healthcheck: {disable: true}');
  writeFileSync(join(dir, 'compose.yaml'), text);
  run(repo, root, root, 'image', 'load', '-i', ARCHIVE);
  return { repo, root, dir, tag, up: [], down: [], idle: [] };
};
const sides = [side(A, 'a'), side(B, 'b')];
const cpu = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const io = (pid) => Number(/^syscr: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
try {
  for (let i = 0; i < Number(PAIRS); i++) {
    for (const s of i % 2 ? [...sides].reverse() : sides) {
      s.up.push(run(s.repo, s.root, s.dir, 'up', '-d', '--progress', 'quiet'));
      if (Number(IDLE) > 0) {
        const pidf = readFileSync(join(s.root, 'projects', `ab${s.tag}`, 'supervisor.pid'), 'utf8');
        const pid = Number(pidf.split(' ')[0]);
        const c0 = cpu(pid),
          r0 = io(pid);
        if (process.env.STRACE) {
          const r = spawnSync('timeout', ['-s', 'INT', IDLE, 'strace', '-c', '-f', '-p', String(pid)], {
            encoding: 'utf8',
          });
          writeFileSync(`/tmp/supervisor-ab-strace-${s.tag}-${i}.txt`, r.stderr);
          const total = r.stderr.split('\n').find((l) => /total$/.test(l.trim()));
          s.idle.push(`strace ${total?.trim().split(/\s+/)[3]} calls`);
        } else {
          spawnSync('sleep', [IDLE]);
          s.idle.push(`${cpu(pid) - c0}ms/${io(pid) - r0}r`);
        }
      }
      s.down.push(run(s.repo, s.root, s.dir, 'down', '-t', '1'));
    }
  }
} finally {
  for (const s of sides) {
    spawnSync(process.execPath, [join(s.repo, 'bin/gantry.js'), 'down', '-t', '1'], {
      cwd: s.dir,
      env: { ...process.env, GANTRY_ROOT: s.root },
    });
    rmSync(s.root, { recursive: true, force: true });
  }
}
for (const s of sides)
  console.log(
    `${s.tag} ${s.repo}: up ${s.up.join(' ')} | down ${s.down.join(' ')} | idle sup cpu/reads ${s.idle.join(' ')}`,
  );
