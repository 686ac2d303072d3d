// Python: pyproject.toml, requirements.txt or Pipfile; the web framework it names (Django,
// FastAPI, Flask) decides the start command; the version from .python-version or requires-python.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { firstVersion, has, readSmall, type Detection } from './types.ts';

const FRAMEWORKS: readonly (readonly [string, RegExp])[] = [
  ['django', /(^|["'\s])django\b/im],
  ['fastapi', /(^|["'\s])fastapi\b/im],
  ['flask', /(^|["'\s])flask\b/im],
];

export function detectPython(dir: string): Detection | undefined {
  const files = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py'].filter((f) => has(dir, f));
  if (files.length === 0) return undefined;
  const text = files.map((f) => readSmall(dir, f) ?? '').join('\n');
  const values: Record<string, string> = {};
  const framework = FRAMEWORKS.find(([, re]) => re.test(text));
  if (framework) values['framework'] = framework[0];
  const requires = /requires-python\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  const version = firstVersion(readSmall(dir, '.python-version') ?? requires);
  if (version !== undefined && version.includes('.')) values['version'] = version;
  if (has(dir, 'manage.py')) values['framework'] = 'django';
  const module = appModule(dir, values['framework']);
  if (module !== undefined) values['app_module'] = module;
  return { language: 'python', values, evidence: [...files, ...(framework ? [`framework ${framework[0]}`] : [])] };
}

/** The WSGI/ASGI object the server loads: `mysite.wsgi:application`, `main:app`, `app:app`. */
function appModule(dir: string, framework: string | undefined): string | undefined {
  if (framework === 'django') {
    const pkg = safeList(dir).find((d) => /^[A-Za-z_]\w*$/.test(d) && has(join(dir, d), 'wsgi.py'));
    return pkg === undefined ? undefined : `${pkg}.wsgi:application`;
  }
  const file = ['main.py', 'app.py', 'wsgi.py', 'server.py'].find((f) => has(dir, f));
  return file === undefined ? undefined : `${file.slice(0, -3)}:app`;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
