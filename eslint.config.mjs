// ESLint: typescript-eslint's recommended type-aware rules for ts/ and test/,
// plain recommended rules for the JavaScript in scripts/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import local from './scripts/eslint/prefer-primordials.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'rust/**', 'build/**', 'docs/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Issue 20: nothing in ts/ looks a built-in up at call time; ts/primordials.ts
    // captures them at load, and ts/raw/ runs nothing after load.
    files: ['ts/**/*.ts'],
    ignores: ['ts/primordials.ts', 'ts/raw/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { local },
    rules: { 'local/prefer-primordials': 'error' },
  },
  {
    files: ['scripts/**/*.js', '*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    // Worker-thread scripts of the tests (plain CommonJS, loaded without ts-jest).
    files: ['test/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
);
