// The Node API's option and result types (Compose's words), in one place so the reference reads
// as one page: what `compose()` takes, what `up()` takes, what a service handle returns.
import type { WaitStrategy } from './wait-strategies.ts';

/** What {@link compose} reads: the same inputs as `gantry -f FILE -p NAME --profile P`. */
export interface ComposeOptions {
  /** Compose files in order, later ones merged over earlier ones; empty: compose.yaml found from `cwd` upward. */
  readonly files?: readonly string[];
  /**
   * The project name. Default: the files' own name (or their directory's) with a random suffix, so two
   * environments of the same files, in one process or in two, never share containers, networks or volumes.
   */
  readonly projectName?: string;
  /** Variables for interpolation, over `process.env` (which stays untouched). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--env-file` files in order; default: the project directory's `.env` when present. */
  readonly envFiles?: readonly string[];
  /** Profiles to enable (`--profile`). */
  readonly profiles?: readonly string[];
  /** Directory relative paths and the compose.yaml look-up start from; default `process.cwd()`. */
  readonly cwd?: string;
  /** gantry's state root; default `$GANTRY_ROOT` or the system one. */
  readonly root?: string;
  /**
   * Keep the environment when this process dies without taking it down. Default false: a small
   * watchdog process takes it down (volumes included) within seconds of this process's end,
   * also after `kill -9` or a crash.
   */
  readonly keep?: boolean;
  /** Seconds a container gets between SIGTERM and SIGKILL on stop and down; default 10, as Compose. */
  readonly stopTimeout?: number;
}

/** What {@link ComposeStack.up} takes (`gantry up -d` flags). */
export interface UpOptions {
  /** Wait until every container runs, and is healthy when it has a healthcheck (`up --wait`). */
  readonly wait?: boolean;
  /** Wait strategies per service, run after the containers started (and after `wait`). */
  readonly waitFor?: Readonly<Record<string, WaitStrategy | readonly WaitStrategy[]>>;
  /** Build images of services with a `build:` section first (`up --build`). */
  readonly build?: boolean;
  /** Services to start, with their dependencies; default all (of the active profiles). */
  readonly services?: readonly string[];
  /** `--pull`: always, missing (default) or never. */
  readonly pull?: 'always' | 'missing' | 'never';
  /** How long `wait` may take for each dependency condition and health, in ms; default 120 000. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A published port as a client reaches it. */
export interface HostPort {
  /** The address to connect to: the port's host IP, or 127.0.0.1 when it listens on every address. */
  readonly host: string;
  readonly port: number;
}

/** Which published port: `protocol` default tcp, `index` the replica number (default 1). */
export interface PortOptions {
  readonly protocol?: 'tcp' | 'udp';
  readonly index?: number;
}

/** How {@link ServiceHandle.exec} runs its command; the container's own settings are the defaults. */
export interface ExecOptions {
  readonly user?: string;
  /** Added to (and replacing names of) the container's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly workdir?: string;
  /** Written to the command's stdin, which is then closed. */
  readonly input?: string;
  /** Replica number; default 1. */
  readonly index?: number;
  /** The command is SIGKILLed after this many ms (its result then has the exit code 137). */
  readonly timeoutMs?: number;
  readonly privileged?: boolean;
}

/** What a command run by {@link ServiceHandle.exec} did: its exit code and everything it printed. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Which log lines {@link ServiceHandle.logs} gives. */
export interface LogsOptions {
  /** Keep following new lines until the iteration stops (iterable form only). */
  readonly follow?: boolean;
  /** Only lines written at or after this time (a Date or epoch ms). */
  readonly since?: Date | number;
  /** The last N lines of each container. */
  readonly tail?: number;
  /** Stops a followed iteration. */
  readonly signal?: AbortSignal;
}

/** One line a container wrote. */
export interface LogLine {
  readonly service: string;
  /** The container's name. */
  readonly container: string;
  readonly stream: 'stdout' | 'stderr';
  /** The line, without its newline. */
  readonly text: string;
  /** When the container wrote it. */
  readonly time: Date;
}

/** What {@link Environment.down} removes besides containers and networks. */
export interface DownOptions {
  /** Named and anonymous volumes of the project too (`down -v`). */
  readonly volumes?: boolean;
}
