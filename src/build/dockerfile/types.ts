// The Dockerfile AST: one typed, readonly record per instruction, as written (before substitution:
// words keep their quotes and `$` references; the resolve stage substitutes them).

export interface Heredoc {
  readonly name: string;
  /** The body, each line with its newline; for `<<-` leading tabs are already removed. */
  readonly content: string;
  /** false when the delimiter was quoted (`<<'EOF'`, `<<"EOF"`): no substitution in the body. */
  readonly expand: boolean;
  /** `<<-`: leading tabs of the body and of the delimiter line are removed. */
  readonly chomp: boolean;
  /** `3<<EOF`: the file descriptor, 0 when none was written. */
  readonly fd: number;
}

/** Shell form (run through SHELL, default `/bin/sh -c`) or exec form (a JSON array). */
export type CommandLine =
  { readonly form: 'shell'; readonly text: string } | { readonly form: 'exec'; readonly args: readonly string[] };

interface Located {
  /** 1-based line where the instruction starts, and where it ends (continuations, heredocs). */
  readonly line: number;
  readonly endLine: number;
  /** The logical line: continuations joined, comment lines dropped, heredoc bodies not included. */
  readonly source: string;
}

export interface FromInstruction extends Located {
  readonly kind: 'FROM';
  readonly image: string;
  /** Lower-cased, as BuildKit compares stage names. */
  readonly stageName: string | undefined;
  readonly platform: string | undefined;
}

export interface ArgDeclaration {
  readonly name: string;
  readonly value: string | undefined;
}
export interface ArgInstruction extends Located {
  readonly kind: 'ARG';
  readonly args: readonly ArgDeclaration[];
}

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}
export interface EnvInstruction extends Located {
  readonly kind: 'ENV';
  readonly pairs: readonly KeyValue[];
}
export interface LabelInstruction extends Located {
  readonly kind: 'LABEL';
  readonly pairs: readonly KeyValue[];
}

export interface WorkdirInstruction extends Located {
  readonly kind: 'WORKDIR';
  readonly path: string;
}
export interface UserInstruction extends Located {
  readonly kind: 'USER';
  readonly user: string;
}
export interface MaintainerInstruction extends Located {
  readonly kind: 'MAINTAINER';
  readonly name: string;
}
export interface StopSignalInstruction extends Located {
  readonly kind: 'STOPSIGNAL';
  readonly signal: string;
}

export type CopySource =
  { readonly kind: 'path'; readonly path: string } | { readonly kind: 'heredoc'; readonly heredoc: Heredoc };

interface CopyLike extends Located {
  readonly sources: readonly CopySource[];
  readonly dest: string;
  readonly chown: string | undefined;
  readonly chmod: string | undefined;
  readonly link: boolean;
  readonly exclude: readonly string[];
}
export interface CopyInstruction extends CopyLike {
  readonly kind: 'COPY';
  /** A stage name or index, or an image reference. */
  readonly from: string | undefined;
  readonly parents: boolean;
}
export interface AddInstruction extends CopyLike {
  readonly kind: 'ADD';
  readonly checksum: string | undefined;
  readonly keepGitDir: boolean;
}

export type RunMount =
  | {
      readonly type: 'bind';
      readonly spec: string;
      readonly target: string;
      readonly source: string | undefined;
      readonly from: string | undefined;
      readonly readOnly: boolean;
    }
  | {
      readonly type: 'cache';
      readonly spec: string;
      readonly target: string;
      readonly id: string | undefined;
      readonly source: string | undefined;
      readonly from: string | undefined;
      readonly readOnly: boolean;
      readonly sharing: 'shared' | 'private' | 'locked';
      readonly mode: number | undefined;
      readonly uid: number | undefined;
      readonly gid: number | undefined;
    }
  | { readonly type: 'tmpfs'; readonly spec: string; readonly target: string; readonly size: number | undefined }
  | {
      readonly type: 'secret';
      readonly spec: string;
      readonly id: string;
      readonly target: string | undefined;
      readonly env: string | undefined;
      readonly required: boolean;
      readonly mode: number;
      readonly uid: number;
      readonly gid: number;
    }
  | {
      readonly type: 'ssh';
      readonly spec: string;
      readonly id: string;
      readonly target: string | undefined;
      readonly required: boolean;
      readonly mode: number;
      readonly uid: number;
      readonly gid: number;
    };

export interface RunInstruction extends Located {
  readonly kind: 'RUN';
  readonly command: CommandLine;
  readonly heredocs: readonly Heredoc[];
  readonly mounts: readonly RunMount[];
  readonly network: 'default' | 'none' | 'host' | undefined;
  readonly security: 'sandbox' | 'insecure' | undefined;
}
export interface CmdInstruction extends Located {
  readonly kind: 'CMD';
  readonly command: CommandLine;
}
export interface EntrypointInstruction extends Located {
  readonly kind: 'ENTRYPOINT';
  readonly command: CommandLine;
}
export interface ShellInstruction extends Located {
  readonly kind: 'SHELL';
  readonly shell: readonly string[];
}
export interface ExposeInstruction extends Located {
  readonly kind: 'EXPOSE';
  readonly ports: readonly string[];
}
export interface VolumeInstruction extends Located {
  readonly kind: 'VOLUME';
  readonly paths: readonly string[];
}

export interface HealthcheckInstruction extends Located {
  readonly kind: 'HEALTHCHECK';
  /** NONE disables the base image's check; CMD runs `test` (exec form, or CMD-SHELL for the shell form). */
  readonly test: readonly string[];
  /** Durations in nanoseconds, as the image config stores them; 0 = the default. */
  readonly interval: number;
  readonly timeout: number;
  readonly startPeriod: number;
  readonly startInterval: number;
  readonly retries: number;
}

export interface OnbuildInstruction extends Located {
  readonly kind: 'ONBUILD';
  /** The trigger as stored in the image config (`OnBuild`). */
  readonly expression: string;
  readonly trigger: Instruction;
}

export type Instruction =
  | FromInstruction
  | ArgInstruction
  | EnvInstruction
  | LabelInstruction
  | WorkdirInstruction
  | UserInstruction
  | MaintainerInstruction
  | StopSignalInstruction
  | CopyInstruction
  | AddInstruction
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | ShellInstruction
  | ExposeInstruction
  | VolumeInstruction
  | HealthcheckInstruction
  | OnbuildInstruction;

export type StageInstruction = Exclude<Instruction, FromInstruction>;

export interface Stage {
  readonly index: number;
  readonly from: FromInstruction;
  readonly instructions: readonly StageInstruction[];
}

export interface Dockerfile {
  readonly file: string;
  readonly escape: string;
  readonly syntax: string | undefined;
  /** ARGs before the first FROM: usable in FROM lines, and in a stage only once redeclared there. */
  readonly globalArgs: readonly ArgInstruction[];
  readonly stages: readonly Stage[];
  /** Notes for the user (empty continuation lines, a `# syntax=` naming another frontend). */
  readonly warnings: readonly string[];
}
