// Lint: ESLint's recommended set everywhere, and for TypeScript the type-aware rules tsc does not
// have, worth most in code that juggles processes and sockets (floating and misused promises).
// Formatting is Prettier's business (.prettierrc.json), not the linter's.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'native/**',
      'src/project/generated/**',
      'test/fixtures/images/**',
      'node_modules/**',
      'templates/**',
      'coverage/**',
      'examples/**/node_modules/**',
      // The example suites' TypeScript compiles against the installed package (test/e2e/example-suites.test.ts).
      'examples/**/*.ts',
    ],
  },
  js.configs.recommended,
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  {
    rules: {
      // `catch {}` is the house idiom for best-effort reads and cleanups of things that may be gone.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Matching control characters is the point where it appears: one-line errors and name checks refuse them.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // `_name` marks a binding kept for its position (destructuring, callbacks), as tsc's own convention.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
        },
      ],
    },
  },
);
