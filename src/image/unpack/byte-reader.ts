// Exact-length reads over an async stream of chunks, without copying when a read fits in one
// chunk. The tar reader needs "give me 512 bytes" and "stream the next N bytes".
export class ByteReader {
  private readonly it: AsyncIterator<Buffer>;
  private cur: Buffer = Buffer.alloc(0);
  private off = 0;
  private done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    while (this.off >= this.cur.length) {
      if (this.done) return false;
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        return false;
      }
      this.cur = r.value;
      this.off = 0;
    }
    return true;
  }

  /** Exactly n bytes, or null at a clean end of stream; a short tail is an error. */
  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill())) return null;
    if (this.cur.length - this.off >= n) {
      const b = this.cur.subarray(this.off, this.off + n);
      this.off += n;
      return b;
    }
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      if (!(await this.fill())) throw new Error(`unexpected end of data (${n - need} of ${n} bytes)`);
      const take = Math.min(need, this.cur.length - this.off);
      parts.push(this.cur.subarray(this.off, this.off + take));
      this.off += take;
      need -= take;
    }
    return Buffer.concat(parts, n);
  }

  /** The next n bytes as chunks (views into the source chunks). */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let need = n;
    while (need > 0) {
      if (!(await this.fill())) throw new Error(`unexpected end of data in a ${n}-byte record`);
      const take = Math.min(need, this.cur.length - this.off);
      const b = this.cur.subarray(this.off, this.off + take);
      this.off += take;
      need -= take;
      yield b;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.stream(n));
  }

  /** Reads (and discards) everything left, so hashes cover the whole stream. */
  async drain(): Promise<void> {
    this.off = this.cur.length;
    while (await this.fill()) this.off = this.cur.length;
  }
}
