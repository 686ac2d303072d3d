// The runtime's errors: one line naming the container, the step and what failed.
import { RuntimeError } from '../common/errors.ts';

export function containerError(id: string, step: string, detail: string, cause?: unknown): RuntimeError {
  return new RuntimeError(`container ${id}: ${step}: ${detail}`, cause === undefined ? {} : { cause });
}

export class NotFoundError extends RuntimeError {
  constructor(id: string) {
    super(`container ${id}: no such container`);
  }
}
