// An instruction's `--name=value` flags, checked as BuildKit does: unknown, repeated, missing value,
// non-boolean value for a boolean flag are errors; `--exclude` and `--mount` may repeat.

type Kind = 'string' | 'bool' | 'strings';

export class Flags {
  private readonly kinds = new Map<string, Kind>();
  private readonly values = new Map<string, string[]>();
  private readonly raw: readonly string[];

  constructor(raw: readonly string[]) {
    this.raw = raw;
  }

  /** Declares the flags of the instruction, then reads them all. */
  parse(decl: Readonly<Record<string, Kind>>): this {
    for (const [k, v] of Object.entries(decl)) this.kinds.set(k, v);
    for (const arg of this.raw) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const value = eq < 0 ? undefined : arg.slice(eq + 1);
      const kind = this.kinds.get(name);
      if (kind === undefined) throw new Error(`unknown flag: ${name}`);
      const seen = this.values.get(name);
      if (seen && kind !== 'strings') throw new Error(`duplicate flag specified: ${name}`);
      if (kind === 'bool') {
        const v = (value ?? 'true').toLowerCase();
        if (v !== 'true' && v !== 'false' && v !== '')
          throw new Error(`expecting boolean value for flag ${name}, not: ${value}`);
        this.values.set(name, [v === 'false' ? 'false' : 'true']);
        continue;
      }
      if (value === undefined) throw new Error(`missing a value on flag: ${name}`);
      this.values.set(name, [...(seen ?? []), value]);
    }
    return this;
  }

  string(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }
  bool(name: string): boolean {
    return this.values.get(name)?.[0] === 'true';
  }
  strings(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }
}
