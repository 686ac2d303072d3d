// A Dockerfile error is one line: `Dockerfile:LINE: INSTRUCTION: what is wrong`.
import { ConfigError, oneLine } from '../../common/errors.ts';

export class DockerfileError extends ConfigError {
  readonly file: string;
  readonly line: number;
  readonly instruction: string;
  constructor(file: string, line: number, instruction: string, detail: string) {
    super(detail);
    this.file = file;
    this.line = line;
    this.instruction = instruction;
    this.message = oneLine(`${file}:${line}: ${instruction === '' ? '' : `${instruction}: `}${detail}`);
  }
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
