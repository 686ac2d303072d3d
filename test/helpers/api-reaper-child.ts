// A test process for the reaper e2e test: brings the API stack up (argv: compose file, state root,
// then "keep" or not), prints "up PROJECT" and waits to be killed.
import { compose, wait } from '../../src/index.ts';

const [file, root, keep] = process.argv.slice(2);
const env = await compose({ files: [file!], root: root!, keep: keep === 'keep' }).up({
  waitFor: { web: wait.forHttp('/health', { port: 80 }) },
});
process.stdout.write(`up ${env.projectName}\n`);
setInterval(() => undefined, 60_000);
