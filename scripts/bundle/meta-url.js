// Injected into the CommonJS CLI bundle: modules that locate files through import.meta.url see
// the bundle's own URL (src/common/package-root.ts then walks up to the package).
// `require` and `__filename` exist in the CommonJS bundle (globals.node declares them for the linter).
export const __gantryMetaUrl = require('node:url').pathToFileURL(__filename).href;
