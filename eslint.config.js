// One flat config for the whole monorepo (style rule R5).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const testOnly = ['only', 'skip', 'todo'].flatMap((method) =>
  ['it', 'test', 'describe'].map((object) => ({
    object,
    property: method,
    message: `No ${object}.${method} may be committed: every test runs in CI.`,
  })),
);

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'coverage/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        project: ['./tsconfig.tests.json', './packages/*/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // `const { secret, ...rest } = row` is how a member is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'no-restricted-properties': ['error', ...testOnly],
      // Fastify plugins and handlers are async by contract, with or without an await.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'fs/promises', 'path', 'url', 'crypto', 'module', 'os', 'child_process'].map(
            (name) => ({
              name,
              message: 'Use the node: protocol.',
            }),
          ),
        },
      ],
    },
  },
  {
    // Dependencies point one way: standards imports nothing of ours (rule R1).
    files: ['packages/standards/src/**/*.ts'],
    ignores: ['packages/standards/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@minjiang/*'], message: '@minjiang/standards depends on no other package of ours.' },
            {
              group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:child_process'],
              message: 'The standards package does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@minjiang/cli', '@minjiang/hub', '@oclif/*', 'chalk', 'listr2'],
              message: 'The SDK imports neither the CLI, the hub nor UI libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/cli/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@minjiang/hub', '@minjiang/hub/*'], message: 'The CLI core never imports the hub.' },
          ],
        },
      ],
    },
  },
  {
    // `response.json() as T` reads better in tests than json<T>().
    files: ['**/*.test.ts', '**/test-utils/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
