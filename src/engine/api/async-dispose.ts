// Symbol.asyncDispose where the runtime lacks it, so `await using env = ...` works on every Node the
// package supports. Node defines it (since 20.4) as Symbol.for('nodejs.asyncDispose'); the same
// registered symbol is used here, so code compiled against either sees one key.
if (typeof Symbol.asyncDispose !== 'symbol')
  Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose') });
