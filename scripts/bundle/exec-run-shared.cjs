// In dist/gantry-exec-run-project.cjs, common/errors.ts and project/input-record.ts are the exec/run
// bundle's own modules (scripts/bundle/exec-run-project.js hands them over before requiring it): one
// ConfigError class for the CLI to recognise, one set of input notes for the record.
'use strict';
const shared = globalThis[Symbol.for('gantry.exec-run.shared')];
if (!shared) throw new Error('gantry-exec-run-project.cjs runs only under the exec/run bundle');
module.exports = shared;
