// One lint setup. Besides the usual rules it enforces the architecture:
// the core never imports electron, the renderer never imports Node, and
// shared/ imports neither.
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const noNode = { paths: nodeBuiltins.map((name) => ({ name, message: 'The renderer and shared/ run in the browser: no Node built-ins. Ask the core through the contract.' })), patterns: [{ group: ['electron', 'electron/*'], message: 'The renderer reaches Electron only through the preload bridge.' }, { group: ['better-sqlite3', 'ws'], message: 'Node-only package.' }] };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/.cache/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core is plain Node and must run without Electron (vigie serve, tests). Talk to the shell through process.parentPort.' }], patterns: [{ regex: '(^|/)main/', message: 'The core must not depend on the Electron shell.' }] }],
    },
  },
  {
    files: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', noNode] },
  },
  {
    files: ['shared/**'],
    rules: { 'no-restricted-imports': ['error', { ...noNode, patterns: [...noNode.patterns, { regex: '(^|/)(renderer|electron)(/|$)', message: 'shared/ sits below both the core and the renderer.' }] }] },
  },
);
