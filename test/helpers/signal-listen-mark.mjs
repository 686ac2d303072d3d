// Preloaded into a CLI under test: notes in a file the moment the CLI starts listening for SIGINT or SIGTERM.
// Node catches both from its start (only to re-raise them), so /proc's SigCgt cannot tell when gantry's own handler
// is there; a signal sent earlier kills the process by default, before the command it was meant to interrupt runs.
import { appendFileSync } from 'node:fs';

const mark = process.env['GANTRY_TEST_LISTEN_MARK'];
delete process.env['GANTRY_TEST_LISTEN_MARK'];
if (mark) {
  process.on('newListener', (event) => {
    if (event === 'SIGINT' || event === 'SIGTERM') appendFileSync(mark, `${event}\n`);
  });
}
