// Java (pom.xml → Maven, build.gradle[.kts] → Gradle, with the Java release they target), PHP
// (composer.json and its PHP requirement) and a static site (an index.html at the top or in
// public/, site/, www/, dist/ or docs/, with no other language's marker).
import { firstVersion, has, readSmall, type Detection } from './types.ts';

// `languageVersion = JavaLanguageVersion.of(21)`, `.set(JavaLanguageVersion.of(21))`,
// `sourceCompatibility = JavaVersion.VERSION_17` or `= '17'`.
const GRADLE_JAVA = new RegExp(
  String.raw`(?:languageVersion\s*(?:=|\.set\()\s*JavaLanguageVersion\.of\(|` +
    String.raw`sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_)?['"]?)(\d+)`,
);

export function detectJava(dir: string): Detection | undefined {
  const pom = readSmall(dir, 'pom.xml');
  const gradleFile = ['build.gradle.kts', 'build.gradle'].find((f) => has(dir, f));
  if (pom === undefined && gradleFile === undefined) return undefined;
  const values: Record<string, string> = { build_tool: pom !== undefined ? 'maven' : 'gradle' };
  const text = pom ?? readSmall(dir, gradleFile ?? '') ?? '';
  const version =
    pom !== undefined
      ? /<(?:java\.version|maven\.compiler\.release|maven\.compiler\.target|release)>\s*(\d+)/.exec(text)?.[1]
      : GRADLE_JAVA.exec(text)?.[1];
  if (version !== undefined) values['version'] = version;
  return { language: 'java', values, evidence: [pom !== undefined ? 'pom.xml' : gradleFile!] };
}

export function detectPhp(dir: string): Detection | undefined {
  const text = readSmall(dir, 'composer.json');
  if (text === undefined) return undefined;
  const values: Record<string, string> = {};
  try {
    const json = JSON.parse(text) as { require?: Record<string, unknown> };
    const php = json.require?.['php'];
    const version = firstVersion(typeof php === 'string' ? php : undefined);
    if (version !== undefined && version.includes('.')) values['version'] = version;
    if (json.require?.['laravel/framework'] !== undefined) values['document_root'] = 'public';
  } catch {
    // the defaults
  }
  if (values['document_root'] === undefined && has(dir, 'public/index.php')) values['document_root'] = 'public';
  return { language: 'php', values, evidence: ['composer.json'] };
}

const SITE_DIRS = ['.', 'public', 'site', 'www', 'dist', 'docs'];

export function detectStatic(dir: string): Detection | undefined {
  const site = SITE_DIRS.find((d) => has(dir, d === '.' ? 'index.html' : `${d}/index.html`));
  if (site === undefined) return undefined;
  const evidence = [site === '.' ? 'index.html' : `${site}/index.html`];
  return { language: 'static', values: { site_dir: site, starter: 'false' }, evidence };
}
