// vitest runs only its own suite here (node-test/ is node:test's); containers take seconds to start.
export default { test: { include: ['vitest/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } };
