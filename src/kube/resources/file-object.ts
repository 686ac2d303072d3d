// The content of a top-level secret or config, read at generate time from its file, the
// project environment or its inline content.
import { readFileSync } from 'node:fs';
import type { FileObjectConfig, Project } from '../../project/model.ts';
import { ConfigError } from '../../common/errors.ts';

export function fileObjectContent(project: Project, path: string, obj: FileObjectConfig): Buffer {
  if (obj.content !== undefined) return Buffer.from(obj.content);
  if (obj.environment !== undefined) {
    const v = project.environment[obj.environment];
    if (v === undefined) throw new ConfigError(`environment variable ${obj.environment} is not set`, { keyPath: path });
    return Buffer.from(v);
  }
  if (obj.file !== undefined) {
    try {
      return readFileSync(obj.file);
    } catch (err) {
      throw new ConfigError(`cannot read ${obj.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
        keyPath: path,
      });
    }
  }
  throw new ConfigError('has no file, environment or content', { keyPath: path });
}
