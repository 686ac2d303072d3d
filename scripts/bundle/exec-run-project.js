// project/index.ts as the exec/run bundle sees it: the project loader in a file of its own
// (dist/gantry-exec-run-project.cjs, through its own code cache), required only when a load misses its
// record (project/recorded-load.ts). A warm exec then reads and compiles none of its 0.8 MB (YAML
// readers, the schema validator, the normalizers: 43 % of the bundle; bench/RESULTS.md, "Issue 20,
// exec23"). The loader's file shares two modules with this bundle (exec-run-shared.cjs): the error
// classes, which the CLI tells apart by class, and the input notes a record is made from.
import * as errors from '../../dist/common/errors.js';
import * as notes from '../../dist/project/input-record.js';
import { runCached } from 'gantry:cached-script'; // bin/cached-script.cjs, as bin/gantry.js loaded it

globalThis[Symbol.for('gantry.exec-run.shared')] = { errors, notes };
// `__dirname` is the bundle's: dist/.
const loader = runCached(require('node:path').join(__dirname, 'gantry-exec-run-project.cjs'));
export const loadRaw = loader.loadRaw;
export const projectFromRaw = loader.projectFromRaw;
