// Child process for the concurrent-pull test: pulls argv[3] into the store at argv[2] and
// prints the resulting image as JSON (a separate process, so the store's file locks are tested).
import { openImageStore } from '../../src/image/index.ts';

const [root, ref] = process.argv.slice(2);
const img = await openImageStore(root!).pull(ref!);
process.stdout.write(`${JSON.stringify(img)}\n`);
