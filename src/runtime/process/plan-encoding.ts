// The shim plan's wire format (decoded by native/plan.h): every token is a netstring, its UTF-8
// byte length in decimal, ':', the bytes, ','. Lengths, not separators, delimit tokens, so no
// value from an image or a compose file can end a token early and add ops of its own. A NUL
// cannot be carried at all (the shim hands tokens to syscalls as C strings): it is refused here
// first, naming the op, and the shim refuses it again.
export type Op = readonly string[];

function encodeToken(t: string, op: string): string {
  if (t.includes('\0')) throw new Error(`plan op ${op}: a value contains a NUL byte`);
  return `${Buffer.byteLength(t, 'utf8')}:${t},`;
}

/** The plan file: shim options, "begin", container ops. */
export function encodePlan(options: readonly Op[], ops: readonly Op[]): string {
  const out: string[] = [];
  for (const op of [...options, ['begin'], ...ops]) for (const t of op) out.push(encodeToken(t, op[0] ?? ''));
  return out.join('');
}

/** The tokens of a plan, as the shim reads them (tests and debugging); throws on any malformation. */
export function decodePlan(plan: Buffer): string[] {
  const tokens: string[] = [];
  let p = 0;
  while (p < plan.length) {
    const colon = plan.indexOf(0x3a, p);
    const digits = colon < 0 ? '' : plan.subarray(p, colon).toString('latin1');
    if (!/^(0|[1-9][0-9]{0,8})$/.test(digits)) throw new Error(`plan: length expected at byte ${p}`);
    const start = colon + 1;
    const end = start + Number(digits);
    if (end >= plan.length || plan[end] !== 0x2c) throw new Error(`plan: ',' expected at byte ${end}`);
    const bytes = plan.subarray(start, end);
    if (bytes.includes(0)) throw new Error(`plan: NUL byte inside a token at byte ${start}`);
    tokens.push(bytes.toString('utf8'));
    p = end + 1;
  }
  return tokens;
}
