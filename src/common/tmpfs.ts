// tmpfs entries as Compose and `docker run --tmpfs` write them, TARGET[:size=BYTES,mode=OCTAL]:
// one parser for a service's `tmpfs:` (project/normalize) and `container run --tmpfs` (engine),
// so the same text is accepted or refused in both. An option gantry cannot honour is refused,
// never dropped: a dropped `noexec` would quietly give a container more than it asked for.
import { parseBytes } from './bytes.ts';

export interface TmpfsMount {
  readonly target: string;
  readonly size?: number; // bytes
  readonly mode?: number; // e.g. 0o1777
}

/** `fail` turns the reason into the caller's error (a file position, or the flag). */
export function parseTmpfs(text: string, fail: (why: string) => Error): TmpfsMount {
  const colon = text.indexOf(':');
  const target = colon < 0 ? text : text.slice(0, colon);
  if (target === '') throw fail(`${JSON.stringify(text)} names no target (TARGET[:size=BYTES,mode=OCTAL])`);
  let size: number | undefined;
  let mode: number | undefined;
  for (const o of colon < 0 ? [] : text.slice(colon + 1).split(',')) {
    if (o === '') continue;
    const bytes = o.startsWith('size=') ? parseBytes(o.slice(5)) : undefined;
    if (bytes !== undefined) size = bytes;
    else if (/^mode=[0-7]{1,4}$/.test(o)) mode = parseInt(o.slice(5), 8);
    else throw fail(`option ${JSON.stringify(o)} is not supported (size=BYTES, mode=OCTAL)`);
  }
  return { target, ...(size !== undefined ? { size } : {}), ...(mode !== undefined ? { mode } : {}) };
}
