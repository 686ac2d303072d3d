// Types of apart.mjs, for the test that imports it.
export interface Part {
  readonly name: string;
  readonly match: RegExp;
  readonly file?: string;
  readonly takes?: RegExp;
}
export interface Metafile {
  readonly inputs: Readonly<Record<string, unknown>>;
}
export type Bundler = (entry: string, outfile: string, plugins: readonly unknown[]) => Promise<Metafile>;
export declare function bundleWithParts(
  entry: string,
  outfile: string,
  parts: readonly Part[],
  bundle: Bundler,
  cachedScript: string,
  alsoKept?: readonly string[],
): Promise<string[]>;
