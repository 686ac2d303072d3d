// Detection on small sample projects, one or more per language: the language, the answers read
// from the project's own files, and the order when markers overlap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { detectProject } from '../../../src/scaffold/index.ts';

function sample(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-detect-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const CASES: readonly (readonly [
  label: string,
  files: Record<string, string>,
  language: string,
  values: Record<string, string>,
])[] = [
  [
    'node + npm + start script + engines',
    {
      'package.json': JSON.stringify({
        scripts: { start: 'node srv.js', test: 'node --test' },
        engines: { node: '>=20.11' },
      }),
      'package-lock.json': '{}',
    },
    'node',
    { package_manager: 'npm', start_command: 'npm start', test_command: 'npm test', version: '20' },
  ],
  [
    'node + pnpm, main and .nvmrc',
    { 'package.json': JSON.stringify({ main: 'lib/index.js' }), 'pnpm-lock.yaml': '', '.nvmrc': 'v22.3.0\n' },
    'node',
    { package_manager: 'pnpm', start_command: 'node lib/index.js', version: '22' },
  ],
  [
    'node + yarn',
    { 'package.json': JSON.stringify({ scripts: { start: 'next start' } }), 'yarn.lock': '' },
    'node',
    { package_manager: 'yarn', start_command: 'yarn start' },
  ],
  [
    'python + flask (requirements.txt)',
    { 'requirements.txt': 'Flask==3.0\ngunicorn\n', 'app.py': '' },
    'python',
    { framework: 'flask', app_module: 'app:app' },
  ],
  [
    'python + fastapi (pyproject)',
    {
      'pyproject.toml': '[project]\nrequires-python = ">=3.11"\ndependencies = ["fastapi>=0.110", "uvicorn"]\n',
      'main.py': '',
    },
    'python',
    { framework: 'fastapi', version: '3.11', app_module: 'main:app' },
  ],
  [
    'python + django',
    { 'requirements.txt': 'django\n', 'manage.py': '', 'mysite/wsgi.py': '', '.python-version': '3.13.1\n' },
    'python',
    { framework: 'django', app_module: 'mysite.wsgi:application', version: '3.13' },
  ],
  ['go', { 'go.mod': 'module example.com/svc\n\ngo 1.22.4\n', 'main.go': 'package main\n' }, 'go', { version: '1.22' }],
  [
    'rust',
    { 'Cargo.toml': '[package]\nname = "my-svc"\nversion = "0.1.0"\nrust-version = "1.80"\n\n[dependencies]\n' },
    'rust',
    { binary: 'my-svc', version: '1.80' },
  ],
  [
    'java + maven',
    { 'pom.xml': '<project><properties><java.version>17</java.version></properties></project>' },
    'java',
    { build_tool: 'maven', version: '17' },
  ],
  [
    'java + gradle (kts)',
    { 'build.gradle.kts': 'java { toolchain { languageVersion.set(JavaLanguageVersion.of(21)) } }\n' },
    'java',
    { build_tool: 'gradle', version: '21' },
  ],
  [
    'dotnet',
    {
      'Api.csproj':
        '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>',
    },
    'dotnet',
    { project: 'Api', version: '9.0' },
  ],
  [
    'php + laravel',
    { 'composer.json': JSON.stringify({ require: { php: '^8.2', 'laravel/framework': '^11.0' } }) },
    'php',
    { version: '8.2', document_root: 'public' },
  ],
  ['php plain', { 'composer.json': '{}', 'index.php': '' }, 'php', {}],
  ['static at the top', { 'index.html': '<h1>x</h1>' }, 'static', { site_dir: '.', starter: 'false' }],
  ['static in docs/', { 'docs/index.html': '' }, 'static', { site_dir: 'docs', starter: 'false' }],
  [
    'go wins over a front-end package.json',
    { 'go.mod': 'module x\n\ngo 1.23\n', 'package.json': '{}' },
    'go',
    { version: '1.23' },
  ],
  ['node wins over its public/index.html', { 'package.json': '{}', 'public/index.html': '' }, 'node', {}],
];

for (const [label, files, language, values] of CASES) {
  test(`detect: ${label}`, () => {
    const dir = sample(files);
    try {
      const found = detectProject(dir);
      assert.equal(found?.language, language);
      for (const [k, v] of Object.entries(values)) assert.equal(found.values[k], v, k);
      assert.ok(found.evidence.length > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('detect: an empty folder and a folder of unrelated files detect nothing', () => {
  for (const files of [{}, { 'notes.txt': 'x', 'data/a.csv': '1,2' }]) {
    const dir = sample(files);
    try {
      assert.equal(detectProject(dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('detect: a broken package.json is still Node, with no answers read from it', () => {
  const dir = sample({ 'package.json': '{ not json', 'yarn.lock': '' });
  try {
    assert.deepEqual(detectProject(dir)?.values, { package_manager: 'yarn' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
