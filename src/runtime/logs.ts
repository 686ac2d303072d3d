// The container log: CRI format lines "TIME STREAM F|P TEXT" written by the shim, so logs survive
// the gantry process that started the container.

/** One line of a container's log file. */
export interface LogLine {
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  /** false for a partial line (longer than the shim's buffer): join with the next. */
  readonly full: boolean;
  readonly text: string;
}

export function parseLogLine(line: string): LogLine | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
  if (!m) return undefined;
  return { time: m[1]!, stream: m[2] as 'stdout' | 'stderr', full: m[3] === 'F', text: m[4]! };
}
