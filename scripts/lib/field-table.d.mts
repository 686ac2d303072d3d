// Types of field-table.mjs, for the test that imports it.
export interface FieldInfo {
  readonly status: string;
  readonly note?: string;
}
export interface FieldTable {
  readonly top_level: Readonly<Record<string, FieldInfo>>;
  readonly services: Readonly<Record<string, FieldInfo>>;
}
export declare const BEGIN: string;
export declare const END: string;
export declare function renderFieldTable(fields: FieldTable): string;
export declare function withFieldTable(readme: string, fields: FieldTable): string;
