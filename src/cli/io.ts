// Where the CLI writes, which environment it reads and where its exit code goes. The real process
// by default; `runArgv` swaps in buffers, so tests and the fuzzer drive the very code path a user
// runs without spawning a process (a worker thread cannot chdir, so cwd is part of the context).

export interface CliIo {
  readonly stdout: (chunk: string) => void;
  readonly stderr: (chunk: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: () => string;
  readonly stdin: () => Promise<string>;
  readonly setExitCode: (code: number) => void;
}

export const processIo: CliIo = {
  stdout: (chunk) => void process.stdout.write(chunk),
  stderr: (chunk) => void process.stderr.write(chunk),
  env: process.env,
  cwd: () => process.cwd(),
  // node:stream/consumers is loaded on use: few commands read stdin, and every one would pay for
  // its load. getBuiltinModule, not import(): the bundle runs in a vm.Script, which has no import().
  stdin: () => process.getBuiltinModule('node:stream/consumers').text(process.stdin),
  setExitCode: (code) => void (process.exitCode = code),
};

let current: CliIo = processIo;

export function cliIo(): CliIo {
  return current;
}

/** Runs `fn` with `io` as the CLI's context; one at a time (the context is module state). */
export async function withCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  const previous = current;
  current = io;
  try {
    return await fn();
  } finally {
    current = previous;
  }
}
