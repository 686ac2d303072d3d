// What `gantry init` prints: the template list, and after a run what was detected, each file's
// fate (created / overwritten / unchanged / kept) and the next command to run.
import { cliIo } from '../io.ts';
import type { InitResult } from '../../scaffold/index.ts';

type Scaffold = typeof import('../../scaffold/index.ts');

export function printList(s: Scaffold): void {
  const rows = s.builtinNames().map((n) => {
    const m = s.loadTemplate(n, '/').manifest;
    return [n, m.kind, m.description] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length), 8);
  cliIo().stdout(`${'TEMPLATE'.padEnd(w)}  KIND      DESCRIPTION\n`);
  for (const [n, k, d] of rows) cliIo().stdout(`${n.padEnd(w)}  ${k.padEnd(8)}  ${d}\n`);
}

const VERB: Record<string, string> = {
  created: 'created',
  overwritten: 'overwrote',
  unchanged: 'unchanged',
  kept: 'kept (exists; --force overwrites)',
};

export function printResult(r: InitResult, dir: string, dryRun: boolean): void {
  const io = cliIo();
  if (r.detection) io.stdout(`detected ${r.detection.language} (${r.detection.evidence.join(', ')})\n`);
  io.stdout(`template ${r.template}${r.base ? ` (files of ${r.base})` : ''}\n`);
  for (const w of r.warnings) io.stderr(`WARN: ${w}\n`);
  for (const w of r.written) io.stdout(`${dryRun ? 'would be ' : ''}${VERB[w.action]} ${w.path}\n`);
  if (dryRun) return;
  const cd = dir === '.' ? '' : `cd ${dir} && `;
  io.stdout(`next: ${cd}gantry up --build -d --wait   (README.md says how to test, watch and deploy)\n`);
}
