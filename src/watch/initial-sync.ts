// initial_sync: before watching, every file a sync rule takes is copied into the container, so
// what runs matches the tree even for changes made while nothing watched (Compose copies the
// rule's path whole at start when initial_sync is set).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledRule } from './rules.ts';

/** Host paths under the rule that it takes (directories too, so empty ones exist inside). */
export async function ruleFiles(rule: CompiledRule): Promise<readonly string[]> {
  if (rule.isFile) return rule.takes(rule.rule.path) ? [rule.rule.path] : [];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.name === '.git' || !rule.takes(p)) continue;
      out.push(p);
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk(rule.rule.path);
  return out;
}
