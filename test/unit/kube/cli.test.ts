// `gantry kube generate` on the command line: warnings on stderr, --strict, bind mounts refused
// without --allow-hostpath, and the output forms (file, directory, kustomize, helm, json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArgv } from '../../../src/cli/run-argv.ts';
import { KUBE_FIXTURES, REPO } from '../../helpers/kube-fixtures.ts';

const UNMAPPED = join(KUBE_FIXTURES, 'unmapped/compose.yaml');
const EXAMPLE = join(REPO, 'examples/web-worker-kv/compose.yaml');

test('fields that do not map are listed on stderr and the manifests still go to stdout', async () => {
  const r = await runArgv(['-f', UNMAPPED, 'kube', 'generate']);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stderr, /^WARN: services\.app\.ulimits: not carried: .+$/m);
  assert.match(r.stderr, /^WARN: services\.app\.user: not carried: Kubernetes needs a numeric user, not "nobody"$/m);
  assert.match(r.stdout, /kind: Deployment/);
});

test('--strict turns a field that does not map into exit 1 and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-strict-'));
  const r = await runArgv(['-f', UNMAPPED, 'kube', 'generate', '--strict', '-o', join(dir, 'out.yaml')]);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /WARN: services\.app\.ulimits/);
  assert.match(r.stderr, /--strict: \d+ field\(s\) not carried over/);
  assert.equal(existsSync(join(dir, 'out.yaml')), false);
});

test('--strict passes a project whose fields all map', async () => {
  const r = await runArgv([
    '-f',
    join(KUBE_FIXTURES, 'all-fields/compose.yaml'),
    'kube',
    'generate',
    'db',
    'cache',
    '--strict',
  ]);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.doesNotMatch(r.stdout, /name: api/);
});

test('a bind mount is refused without --allow-hostpath, naming the service and field', async () => {
  const r = await runArgv(['-f', EXAMPLE, 'kube', 'generate']);
  assert.equal(r.exitCode, 1);
  assert.match(
    r.stderr,
    /^services\.kv\.volumes\[0\]: bind mount .*kv → \/srv\/cgi-bin cannot be exported.*--allow-hostpath/m,
  );
  const ok = await runArgv(['-f', EXAMPLE, 'kube', 'generate', '--allow-hostpath']);
  assert.equal(ok.exitCode, 0, ok.stderr);
  assert.match(ok.stdout, /hostPath:\n {12}path: .*examples\/web-worker-kv\/kv/);
});

test('-o DIR, --kustomize, --helm and --format json write the forms they name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-out-'));
  const base = ['-f', EXAMPLE, 'kube', 'generate', '--allow-hostpath'];
  assert.equal((await runArgv([...base, '-o', `${dir}/plain/`])).exitCode, 0);
  assert.ok(readdirSync(join(dir, 'plain')).includes('statefulset-kv.yaml'));
  assert.equal((await runArgv([...base, '--kustomize', '-o', join(dir, 'k')])).exitCode, 0);
  assert.match(readFileSync(join(dir, 'k/kustomization.yaml'), 'utf8'), /- deployment-web\.yaml/);
  assert.equal((await runArgv([...base, '--helm', '-o', join(dir, 'h')])).exitCode, 0);
  assert.ok(existsSync(join(dir, 'h/Chart.yaml')) && existsSync(join(dir, 'h/values.yaml')));
  assert.ok(existsSync(join(dir, 'h/templates/deployment-web.yaml')));
  const j = await runArgv([...base, '--format', 'json']);
  const list = JSON.parse(j.stdout) as { kind: string; items: { kind: string }[] };
  assert.equal(list.kind, 'List');
  assert.ok(list.items.some((i) => i.kind === 'StatefulSet'));
  const bad = await runArgv([...base, '--helm']);
  assert.equal(bad.exitCode, 2);
});
