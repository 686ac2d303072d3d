// Types of schema-diff.mjs, for the tests that import it.
export interface SchemaPin {
  readonly source: { readonly repository: string; readonly commit: string; readonly path: string };
  readonly upstream: readonly string[];
  readonly patch: readonly {
    readonly why: string;
    readonly replaces: readonly string[];
    readonly lines: readonly string[];
  }[];
}
export declare function schemaDiff(left: object, right: object): string[];
export declare function expectedDiff(pin: SchemaPin): string[];
