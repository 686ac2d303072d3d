// Freezing the model: shared by the loader (normalize/index.ts) and a model read from a record
// (recorded-load.ts), which must not load the normalizers to get it.

/** Freezes a plain-data tree so no later stage can change the model by accident. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const e of Object.values(v)) deepFreeze(e);
  }
  return v;
}
