// The context entries a COPY/ADD source list names: a path (file, or directory with all it holds)
// or a Go filepath.Match pattern (`*`, `?`, `[a-z]`, `\` escapes; `*` never crosses `/`).
import { cleanPath } from './clean-path.ts';
import type { ContextEntry } from './walk.ts';

export function globRegex(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error(`syntax error in pattern: ${pattern}`);
      re += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\]\\/]/g, (m) => `\\${m}`);
  }
  return new RegExp(`${re}$`);
}

/** Cleaned source path relative to the context root (`/a`, `./a` and `a` are the same). */
export function contextPath(source: string): string {
  return cleanPath(`/${source}`).slice(1) || '.';
}

export function selectSources(entries: readonly ContextEntry[], sources: readonly string[]): ContextEntry[] {
  const picked = new Set<ContextEntry>();
  for (const source of sources) {
    const p = contextPath(source);
    if (p === '.') return [...entries];
    const match = /[*?[\\]/.test(p) ? (x: string) => globRegex(p).test(x) : (x: string) => x === p;
    const roots = entries.filter((e) => match(e.path)).map((e) => e.path);
    for (const e of entries) if (roots.some((r) => e.path === r || e.path.startsWith(`${r}/`))) picked.add(e);
  }
  return entries.filter((e) => picked.has(e));
}
