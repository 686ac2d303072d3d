// Detection: which language a folder holds, tried in a fixed order (the most specific markers
// first: a Go or Rust project may carry a package.json for its front-end tooling, rarely the
// reverse; a static site only when nothing else matched).
import { detectNode } from './node.ts';
import { detectPython } from './python.ts';
import { detectDotnet, detectGo, detectRust } from './compiled.ts';
import { detectJava, detectPhp, detectStatic } from './jvm-php-static.ts';
import type { Detection, Detector } from './types.ts';

export type { Detection } from './types.ts';

const DETECTORS: readonly Detector[] = [
  detectGo,
  detectRust,
  detectJava,
  detectDotnet,
  detectPhp,
  detectPython,
  detectNode,
  detectStatic,
];

export function detectProject(dir: string): Detection | undefined {
  for (const d of DETECTORS) {
    const found = d(dir);
    if (found) return found;
  }
  return undefined;
}
